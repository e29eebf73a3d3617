package docker

import (
	"archive/tar"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// ImageRepo is the repository of every image gameday builds; tags are
// content hashes of the binary inside.
const ImageRepo = "gameday-local"

// binaryPathInImage is where the binary sits in the image.
const binaryPathInImage = "/gameday"

const dockerfile = `FROM scratch
COPY gameday /gameday
ENTRYPOINT ["/gameday"]
`

// ImageTag returns the tag of the image holding the binary at bin:
// gameday-local:<first 16 hex digits of its SHA-256>.
func ImageTag(bin string) (string, error) {
	sum, err := fileDigest(bin)
	if err != nil {
		return "", fmt.Errorf("image tag: %w", err)
	}
	return ImageRepo + ":" + sum[:16], nil
}

// EnsureImage builds, through the Docker API, a FROM scratch image holding
// bin, unless the image with its tag already exists. It returns the tag.
func EnsureImage(ctx context.Context, bin string) (string, error) {
	cli, err := newClient()
	if err != nil {
		return "", err
	}
	defer cli.Close()
	return ensureImage(ctx, cli, bin)
}

func ensureImage(ctx context.Context, cli *client.Client, bin string) (string, error) {
	tag, err := ImageTag(bin)
	if err != nil {
		return "", err
	}
	if _, err := cli.ImageInspect(ctx, tag); err == nil {
		return tag, nil
	} else if !errdefs.IsNotFound(err) {
		return "", fmt.Errorf("inspect image %s: %w", tag, err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeBuildContext(pw, bin)) }()
	res, err := cli.ImageBuild(ctx, pr, client.ImageBuildOptions{
		Tags:        []string{tag},
		Remove:      true,
		ForceRemove: true,
		Labels:      map[string]string{LabelApp: "1"},
	})
	if err != nil {
		pr.CloseWithError(err)
		return "", fmt.Errorf("build image %s: %w", tag, err)
	}
	defer res.Body.Close()
	if err := buildStreamError(res.Body); err != nil {
		return "", fmt.Errorf("build image %s: %w", tag, err)
	}
	return tag, nil
}

// writeBuildContext writes the tar build context: a Dockerfile and the binary.
func writeBuildContext(w io.Writer, bin string) error {
	f, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	now := time.Now()
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile)), ModTime: now}); err != nil {
		return err
	}
	if _, err := io.WriteString(tw, dockerfile); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "gameday", Mode: 0o755, Size: fi.Size(), ModTime: now}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return err
	}
	return tw.Close()
}

// buildStreamError reads the JSON message stream of a build to its end and
// returns the first error it reports.
func buildStreamError(r io.Reader) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var msg struct {
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&msg); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if msg.Error != "" {
			return errors.New(msg.Error)
		}
	}
}

// digests memoizes file digests by path, size and modification time, so a
// run does not rehash a 30 MB binary it already hashed.
var digests sync.Map // digestKey -> string

type digestKey struct {
	path  string
	size  int64
	mtime time.Time
}

func fileDigest(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	key := digestKey{path, fi.Size(), fi.ModTime()}
	if v, ok := digests.Load(key); ok {
		return v.(string), nil
	}
	sum, err := binary.FileDigest(path)
	if err != nil {
		return "", err
	}
	digests.Store(key, sum)
	return sum, nil
}
