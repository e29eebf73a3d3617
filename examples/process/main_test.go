package process_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// shop is the team's program under test, built once as their Makefile would.
var shop string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gameday-example-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	shop = filepath.Join(dir, "shop")
	build := exec.Command("go", "build", "-o", shop, "./shop")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build the shop:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
