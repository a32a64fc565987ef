//go:build tools

// Package tools pins the Kubernetes 1.20.15 commands of the kubernetes=1.20
// variant (tools/manifest.toml); no code of its own.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"

	// Generates pkg/generated/openapi before kube-apiserver is built.
	_ "k8s.io/kube-openapi/cmd/openapi-gen"
)
