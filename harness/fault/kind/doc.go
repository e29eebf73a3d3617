// Package kind defines each fault kind once: its parameters, Validate, its
// text form (String, and Params: the string parameters ParseSpec, the CLI
// and the sidecar's control API carry) and its CLI flags. The fault proxy,
// the targets, the spec parser and `gameday fault` all read this one table,
// so a new kind is one file here plus its test.
//
// It is a leaf package (standard library only), so harness/target can name
// fault types without importing the proxy that applies them.
package kind
