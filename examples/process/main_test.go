package process_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// pricesBin is the app under test, built once like a team's Makefile would.
var pricesBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gameday-example-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pricesBin = filepath.Join(dir, "prices")
	build := exec.Command("go", "build", "-o", pricesBin, "./prices")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build the prices app:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
