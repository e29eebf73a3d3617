package binary_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// module writes a tiny main module into a temp dir.
func module(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/tiny\n\ngo 1.22\n")
	write(t, dir, "main.go", "package main\n\nfunc main() { println(\"tiny\") }\n")
	return dir
}

func write(t *testing.T, dir, name, content string) {
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

func TestSourceHashFollowsBuildInputsOnly(t *testing.T) {
	dir := module(t)
	h0, err := binary.SourceHash(dir)
	require.NoError(t, err)

	write(t, dir, "main_test.go", "package main\n")
	write(t, dir, "testdata/golden.txt", "x")
	write(t, dir, ".git/HEAD", "ref")
	h1, _ := binary.SourceHash(dir)
	assert.Equal(t, h0, h1, "tests, testdata and hidden dirs do not change the binary")

	write(t, dir, "static/page.html", "<p>embeddable</p>")
	h2, _ := binary.SourceHash(dir)
	assert.NotEqual(t, h1, h2, "a file go:embed could reach counts")

	write(t, dir, "main.go", "package main\n\nfunc main() { println(\"tiny 2\") }\n")
	h3, _ := binary.SourceHash(dir)
	assert.NotEqual(t, h2, h3)

	h4, _ := binary.SourceHash(dir, "goarch=arm64")
	assert.NotEqual(t, h3, h4, "extra inputs count")
}

func TestBuildIsStaticAndCached(t *testing.T) {
	ctx := context.Background()
	dir, cache := module(t), t.TempDir()
	cfg := binary.Config{ModuleDir: dir, Package: "example.com/tiny", CacheDir: cache}
	bin, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	out, err := exec.Command(bin).CombinedOutput()
	require.NoError(t, err)
	assert.Equal(t, "tiny\n", string(out))
	fi, _ := os.Stat(bin)

	time.Sleep(10 * time.Millisecond)
	again, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, bin, again)
	fi2, _ := os.Stat(again)
	assert.Equal(t, fi.ModTime(), fi2.ModTime(), "an unchanged tree is not rebuilt")

	write(t, dir, "main.go", "package main\n\nfunc main() { println(\"changed\") }\n")
	changed, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	assert.NotEqual(t, bin, changed)
}

func TestBuildReusesTheBinaryWhenTheEditIsElsewhere(t *testing.T) {
	ctx := context.Background()
	dir, cache := t.TempDir(), t.TempDir()
	write(t, dir, "go.mod", "module example.com/tiny\n\ngo 1.22\n")
	write(t, dir, "main.go", "package main\n\nimport \"example.com/tiny/lib\"\n\nfunc main() { println(lib.Word) }\n")
	write(t, dir, "lib/lib.go", "package lib\n\nconst Word = \"one\"\n")
	write(t, dir, "other/other.go", "package other\n")
	cfg := binary.Config{ModuleDir: dir, Package: "example.com/tiny", CacheDir: cache}
	bin, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	fi, _ := os.Stat(bin)

	write(t, dir, "other/other.go", "package other\n\nconst X = 1\n")
	write(t, dir, "README.md", "# tiny\n")
	again, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	fi2, err := os.Stat(again)
	require.NoError(t, err)
	assert.True(t, os.SameFile(fi, fi2), "a package the binary does not import changed: same binary")

	write(t, dir, "lib/lib.go", "package lib\n\nconst Word = \"two\"\n")
	changed, err := binary.Build(ctx, cfg)
	require.NoError(t, err)
	fi3, _ := os.Stat(changed)
	assert.False(t, os.SameFile(fi, fi3), "a dependency changed: rebuilt")
	out, err := exec.Command(changed).CombinedOutput()
	require.NoError(t, err)
	assert.Equal(t, "two\n", string(out))
}

func TestConfigValidate(t *testing.T) {
	err := binary.Config{}.Validate()
	assert.ErrorContains(t, err, "module dir is required")
	err = binary.Config{ModuleDir: t.TempDir()}.Validate()
	assert.ErrorContains(t, err, "no go.mod")
}

func TestPruneKeepsTheNewest(t *testing.T) {
	cache := t.TempDir()
	for i, name := range []string{"old", "mid", "new"} {
		require.NoError(t, os.Mkdir(filepath.Join(cache, name), 0o755))
		ts := time.Now().Add(time.Duration(i-3) * time.Hour)
		require.NoError(t, os.Chtimes(filepath.Join(cache, name), ts, ts))
	}
	removed, err := binary.Prune(cache, 1)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{filepath.Join(cache, "old"), filepath.Join(cache, "mid")}, removed)
	_, err = os.Stat(filepath.Join(cache, "new"))
	assert.NoError(t, err)
	removed, err = binary.Prune(filepath.Join(cache, "absent"), 1)
	assert.NoError(t, err)
	assert.Empty(t, removed)
}
