//go:build tools

// Package tools pins CoreDNS v1.8.6, the version kubeadm 1.24 deploys.
package tools

import _ "github.com/coredns/coredns"
