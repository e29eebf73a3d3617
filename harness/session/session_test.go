package session

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReadRemove(t *testing.T) {
	p := filepath.Join(t.TempDir(), "demo.json")
	t.Setenv("GAMEDAY_SESSION", p)
	if _, err := Read(); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Read with no file = %v, want ErrNoSession", err)
	}
	info := Info{PID: os.Getpid(), Target: "embedded", Flags: "http://127.0.0.1:1", Token: NewToken(),
		Services: map[string]string{"frontend": "http://127.0.0.1:2"}}
	remove, err := Write(info)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	got, err := Read()
	if err != nil || got.Token != info.Token || got.Services["frontend"] != "http://127.0.0.1:2" {
		t.Fatalf("Read = %+v, %v", got, err)
	}
	remove()
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("remove left the file: %v", err)
	}
}

func TestReadIgnoresDeadProcess(t *testing.T) {
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))
	if _, err := Write(Info{PID: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Read of a dead demo's file = %v, want ErrNoSession", err)
	}
}

func TestNewTokenIsRandom(t *testing.T) {
	if a, b := NewToken(), NewToken(); a == b || len(a) != 32 {
		t.Fatalf("tokens %q %q", a, b)
	}
}
