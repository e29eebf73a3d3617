package repocheck

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MaxTrackedSize is the largest file the tree may track outside vendored
// assets: anything bigger is a build output, a data dump or a binary.
const MaxTrackedSize = 1 << 20

// VendoredAssets are the folders whose files are third-party assets
// shipped as they are (the report's minified chart library).
var VendoredAssets = []string{"harness/report/assets/"}

// TrackedFile is a file in git's index.
type TrackedFile struct {
	Path string // slash-separated, relative to the repository root
	Size int64
	Exec bool // starts like an executable (ELF, Mach-O, PE, shebang-less binary)
}

// TrackedFiles lists the files git tracks under root, with their sizes
// in the working tree (files deleted but not yet committed are left out).
func TrackedFiles(ctx context.Context, root string) ([]TrackedFile, error) {
	cmd := exec.CommandContext(ctx, "git", "ls-files", "-z")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w: %s", root, err, strings.TrimSpace(stderr.String()))
	}
	var files []TrackedFile
	for p := range strings.SplitSeq(strings.TrimRight(string(out), "\x00"), "\x00") {
		if p == "" {
			continue
		}
		full := filepath.Join(root, filepath.FromSlash(p))
		info, err := os.Lstat(full)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() {
			continue
		}
		f := TrackedFile{Path: p, Size: info.Size()}
		if f.Exec, err = looksExecutable(full); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// executableMagic are the first bytes of compiled executables and objects.
var executableMagic = [][]byte{
	{0x7f, 'E', 'L', 'F'},    // ELF (Linux binaries, .o, .so)
	{0xcf, 0xfa, 0xed, 0xfe}, // Mach-O 64-bit
	{0xfe, 0xed, 0xfa, 0xcf}, // Mach-O 64-bit, big-endian
	{0xca, 0xfe, 0xba, 0xbe}, // Mach-O universal
	{'M', 'Z'},               // PE (Windows .exe)
}

func looksExecutable(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	for _, m := range executableMagic {
		if n >= len(m) && bytes.Equal(head[:len(m)], m) {
			return true, nil
		}
	}
	return false, nil
}

// TreeProblems returns one line per tracked file that should not be in
// the tree: over MaxTrackedSize outside VendoredAssets, or an executable.
func TreeProblems(files []TrackedFile) []string {
	var out []string
	for _, f := range files {
		vendored := false
		for _, dir := range VendoredAssets {
			vendored = vendored || strings.HasPrefix(f.Path, dir)
		}
		if f.Size > MaxTrackedSize && !vendored {
			out = append(out, fmt.Sprintf("%s: %d bytes, over the %d-byte limit for tracked files (build outputs and data stay out of git)",
				f.Path, f.Size, MaxTrackedSize))
		}
		if f.Exec {
			out = append(out, fmt.Sprintf("%s: a compiled executable; binaries are built, never committed", f.Path))
		}
	}
	return out
}
