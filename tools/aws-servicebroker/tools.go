//go:build tools

package tools

import (
	_ "github.com/awslabs/aws-servicebroker/cmd/servicebroker"
)
