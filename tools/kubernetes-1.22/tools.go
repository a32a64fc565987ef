//go:build tools

// Package tools pins the Kubernetes 1.22.17 commands of the kubernetes=1.22
// variant (tools/manifest.toml): the embedded cluster's, and those a kind node
// image carries (kubeadm, kubelet, kube-proxy, kube-scheduler); no code of its own.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"

	// Generates pkg/generated/openapi before kube-apiserver is built.
	_ "k8s.io/kube-openapi/cmd/openapi-gen"
)
