package dockertest

import (
	"os"
	"os/exec"
	"path/filepath"

	"github.com/gameday-dev/gameday/harness/handle"
)

// StaticContext is a Docker build context for a Go program in a FROM
// scratch image, as nothing can be pulled here: `go build` makes a static
// linux binary of pkg named bin in a new folder, and dockerfile is copied
// next to it as Dockerfile. pkg and dockerfile are relative to the test's
// folder. The folder is removed when t's cleanups run.
func StaticContext(t handle.T, pkg, bin, dockerfile string) string {
	t.Helper()
	dir := tempDir(t)
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(dir, bin), pkg)
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v: %s", pkg, err, out)
	}
	if err := copyFile(dockerfile, filepath.Join(dir, "Dockerfile"), 0o644); err != nil {
		t.Fatalf("copy %s: %v", dockerfile, err)
	}
	return dir
}

// Redis is RedisImage for a test: the image's tag, or t fails. A team with
// a registry would just name "redis:7".
func Redis(t handle.T) string {
	t.Helper()
	tag, err := RedisImage(t.Context(), tempDir(t))
	if err != nil {
		t.Fatalf("%v", err)
	}
	return tag
}

func tempDir(t handle.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gameday-dockertest-")
	if err != nil {
		t.Fatalf("temp dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
