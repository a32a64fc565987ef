//go:build tools

// Package tools pins the helm of the helm=v3.21.4 variant (tools/manifest.toml): the newest
// helm 3 the module proxy approves; no code of its own.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
