//go:build tools

// Package tools pins kind v0.11.1: the release whose node images are
// Kubernetes 1.21 and which still supports cgroup v1 hosts.
package tools

import _ "sigs.k8s.io/kind"
