// Package repocheck keeps the repository's promises checkable: every
// module in the build graph has a licence that lets teams link gameday into
// their own test binaries, the tree holds no large or binary files, and
// imports follow the layout table in DESIGN.md. Its tests run in
// `make test`, on a clean clone after `go mod download`.
package repocheck
