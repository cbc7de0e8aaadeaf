//go:build tools

// Package engine pins the Pulumi CLI that the end-to-end tests run. The CLI cannot be
// `go install`ed at a version because pkg/go.mod has replace directives; a wrapper module
// that requires it is unaffected (a dependency's replace lines are ignored), and the
// `tools` build tag keeps this import out of any real build.
package engine

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	// The package build-engine.sh stamps with -X, so the CLI reports its version.
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
