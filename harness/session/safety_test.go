package session

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symlink planted where the old code wrote its temp file, pointing at a
// file the attacker can read, must not receive the token.
func TestWriteDoesNotFollowPlantedSymlinks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "demo.json")
	t.Setenv("GAMEDAY_SESSION", p)
	loot := filepath.Join(t.TempDir(), "loot")
	if err := os.WriteFile(loot, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"demo.json.tmp", "demo.json"} {
		if err := os.Symlink(loot, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	info := Info{PID: os.Getpid(), Token: NewToken()}
	if _, err := Write(info); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(loot)
	if err != nil || len(data) != 0 {
		t.Fatalf("the symlink target received %q (%v)", data, err)
	}
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&os.ModeSymlink != 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file %v (%v): want a regular 0600 file in place of the symlink", fi.Mode(), err)
	}
	if got, err := Read(); err != nil || got.Token != info.Token {
		t.Fatalf("Read = %+v, %v", got, err)
	}
}

func TestReadRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := os.WriteFile(real, []byte(`{"pid":0,"token":"x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "demo.json")
	if err := os.Symlink(real, p); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GAMEDAY_SESSION", p)
	if _, err := Read(); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("Read through a symlink = %v, want a refusal", err)
	}
}

func TestWriteRefusesOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GAMEDAY_SESSION", filepath.Join(dir, "demo.json"))
	if _, err := Write(Info{PID: os.Getpid()}); err == nil || !strings.Contains(err.Error(), "lets others write") {
		t.Fatalf("Write into a 0777 dir = %v, want a refusal", err)
	}
}

func TestDefaultDirIsPrivate(t *testing.T) {
	run := t.TempDir()
	t.Setenv("GAMEDAY_SESSION", "")
	t.Setenv("XDG_RUNTIME_DIR", run)
	dir := filepath.Join(run, "gameday")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	remove, err := Write(Info{PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("gameday's session dir mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("dir holds %d entries, want only demo.json (no temp file left)", len(entries))
	}
}

// A directory owned by someone else could hold planted files: refused.
// Only root can create one for another user, so the test needs root; as
// anyone else, /tmp (root's, 1777) plays that part.
func TestWriteRefusesForeignDirectory(t *testing.T) {
	dir := os.TempDir()
	if os.Getuid() == 0 {
		dir = t.TempDir()
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GAMEDAY_SESSION", filepath.Join(dir, "gameday-test-demo.json"))
	if _, err := Write(Info{PID: os.Getpid()}); err == nil || !strings.Contains(err.Error(), "not by this user") {
		t.Fatalf("Write into a foreign dir = %v, want a refusal", err)
	}
}
