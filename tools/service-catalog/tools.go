//go:build tools

// Package tools pins the upstream commands this module builds; no code of its own.
package tools

import (
	_ "github.com/kubernetes-sigs/service-catalog/cmd/service-catalog"
	_ "github.com/kubernetes-sigs/service-catalog/cmd/svcat"
)
