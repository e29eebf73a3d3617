package binary_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// A source hash changes with the sources, not with tests.
func ExampleSourceHash() {
	dir, _ := os.MkdirTemp("", "hash")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nfunc main() {}\n"), 0o644)
	before, _ := binary.SourceHash(dir)
	os.WriteFile(filepath.Join(dir, "main_test.go"), []byte("package main\n"), 0o644)
	after, _ := binary.SourceHash(dir)
	fmt.Println(before == after, len(before))
	// Output: true 64
}
