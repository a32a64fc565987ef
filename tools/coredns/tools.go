//go:build tools

// Package tools pins CoreDNS v1.8.0, the version kubeadm 1.21 deploys.
package tools

import _ "github.com/coredns/coredns"
