// Package binary builds the one static binary the docker target runs in every
// container: `BINARY serve SERVICE` for a service, `BINARY agent ...` for its
// fault-proxy sidecar.
//
// Builds are cached by a content hash of the module's build inputs (non-test
// Go sources, files a go:embed directive could reach, go.mod and go.sum), so
// an unchanged tree is never rebuilt, and by a hash of the files the
// package's build actually reads, so an edit elsewhere in the module does
// not rebuild it either. The package is deliberately light (no
// Docker client) so a System's Binary func can use it without pulling the
// docker target in.
package binary
