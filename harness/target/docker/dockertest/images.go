package dockertest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// AppPackage is a team's program as the container tests run it: hard-coded
// ports, dependencies through its own variables (see its doc).
const AppPackage = "github.com/gameday-dev/gameday/harness/target/docker/dockertest/cmd/gameday-testapp"

// AppDockerfile builds the app's image from a context holding the static
// binary "app".
const AppDockerfile = `FROM scratch
COPY app /app
EXPOSE 8080 9000
ENTRYPOINT ["/app"]
`

// WriteAppContext builds the app (static, cached) and writes a Docker
// build context for it into dir: Dockerfile and the binary.
func WriteAppContext(ctx context.Context, dir string) error {
	bin, err := build(ctx, AppPackage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(AppDockerfile), 0o644); err != nil {
		return err
	}
	return copyFile(bin, filepath.Join(dir, "app"), 0o755)
}

// AppImage builds the app's image once per binary and returns its tag.
func AppImage(ctx context.Context, dir string) (string, error) {
	if err := WriteAppContext(ctx, dir); err != nil {
		return "", err
	}
	sum, err := digest(filepath.Join(dir, "app"))
	if err != nil {
		return "", err
	}
	tag := "gameday-testapp:" + sum[:16]
	return tag, dockerBuild(ctx, tag, dir)
}

// RedisImage makes a Redis image without pulling one: Debian's
// /usr/bin/redis-server with the shared libraries ldd lists, copied into a
// FROM scratch image (tag gameday-redis:<hash of the server>). Redis must be
// installed on the host (apt-get install redis-server).
func RedisImage(ctx context.Context, dir string) (string, error) {
	const server = "/usr/bin/redis-server"
	sum, err := digest(server)
	if err != nil {
		return "", fmt.Errorf("redis image: %w (install Debian's redis-server)", err)
	}
	tag := "gameday-redis:" + sum[:16]
	out, err := exec.CommandContext(ctx, "ldd", server).Output()
	if err != nil {
		return "", fmt.Errorf("redis image: ldd %s: %w", server, err)
	}
	files := []string{server}
	for _, m := range regexp.MustCompile(`(/\S+)`).FindAllString(string(out), -1) {
		files = append(files, m)
	}
	for _, f := range files {
		if err := copyFile(f, filepath.Join(dir, f), 0o755); err != nil {
			return "", fmt.Errorf("redis image: %w", err)
		}
	}
	df := "FROM scratch\nCOPY . /\nEXPOSE 6379\nVOLUME /data\nWORKDIR /data\n" +
		`CMD ["/usr/bin/redis-server", "--protected-mode", "no", "--save", ""]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		return "", err
	}
	return tag, dockerBuild(ctx, tag, dir)
}

// dockerBuild builds dir into tag with the docker CLI, unless tag exists.
func dockerBuild(ctx context.Context, tag, dir string) error {
	if exec.CommandContext(ctx, "docker", "image", "inspect", tag).Run() == nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, "docker", "build", "-q", "--label", "gameday=1", "-t", tag, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("docker build %s: %w: %s", tag, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func digest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
