//go:build tools

// Package tools pins the upstream commands this module builds; no code of its own.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
