//go:build tools

// Package tools pins the helm of the helm=v4.3.2 variant (tools/manifest.toml); no code of its own.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
