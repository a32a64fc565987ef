//go:build tools

package tools

import (
	_ "github.com/google/kf/cmd/kf"
)
