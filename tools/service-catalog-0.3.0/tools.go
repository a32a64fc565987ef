//go:build tools

// Package tools pins the Service Catalog v0.3.0 commands of the service-catalog=v0.3.0
// variant (tools/manifest.toml); no code of its own.
package tools

import (
	_ "github.com/kubernetes-sigs/service-catalog/cmd/service-catalog"
	_ "github.com/kubernetes-sigs/service-catalog/cmd/svcat"
)
