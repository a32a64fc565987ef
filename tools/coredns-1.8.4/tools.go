//go:build tools

// Package tools pins CoreDNS v1.8.4, the version kubeadm 1.22 deploys.
package tools

import _ "github.com/coredns/coredns"
