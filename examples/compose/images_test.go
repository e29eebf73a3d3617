package compose_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// shopContext is the Docker build context of the shop's image: the
// container example's Dockerfile and the static binary `go build` makes of its ./shop
// (nothing can be pulled here, so the image starts FROM scratch).
func shopContext(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(dir, "shop"), "../container/shop")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build shop: %v: %s", err, out)
	}
	copyFile(t, "../container/Dockerfile", filepath.Join(dir, "Dockerfile"))
	return dir
}

// redisImage makes a Redis image from Debian's redis-server (apt-get
// install redis-server) and the shared libraries ldd lists, in a FROM
// scratch image, as none can be pulled here. A team with a registry would
// just name "redis:7".
func redisImage(t *testing.T) string {
	t.Helper()
	const server = "/usr/bin/redis-server"
	f, err := os.Open(server)
	if err != nil {
		t.Fatalf("redis image: %v (apt-get install redis-server)", err)
	}
	h := sha256.New()
	io.Copy(h, f)
	f.Close()
	tag := "gameday-example-redis:" + hex.EncodeToString(h.Sum(nil))[:12]
	if exec.Command("docker", "image", "inspect", tag).Run() == nil {
		return tag
	}
	dir := t.TempDir()
	libs, err := exec.Command("ldd", server).Output()
	if err != nil {
		t.Fatalf("ldd %s: %v", server, err)
	}
	for _, p := range append([]string{server}, regexp.MustCompile(`/\S+`).FindAllString(string(libs), -1)...) {
		copyFile(t, p, filepath.Join(dir, p))
	}
	df := "FROM scratch\nCOPY . /\nEXPOSE 6379\n" +
		`CMD ["/usr/bin/redis-server", "--protected-mode", "no", "--save", ""]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("docker", "build", "-q", "--label", "gameday=1", "-t", tag, dir).CombinedOutput(); err != nil {
		t.Fatalf("docker build %s: %v: %s", tag, err, out)
	}
	return tag
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
