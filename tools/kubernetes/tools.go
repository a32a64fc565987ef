//go:build tools

// Package tools pins the upstream commands this module builds; no code of its own.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"

	// Generates pkg/generated/openapi before kube-apiserver is built.
	_ "k8s.io/kube-openapi/cmd/openapi-gen"
)
