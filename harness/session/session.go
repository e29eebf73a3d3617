// Package session lets a second terminal find a running `gameday demo`:
// the demo writes where its services, flag service and control API listen,
// with the token that guards them, into a file only the user can read.
package session

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Info describes a running demo.
type Info struct {
	PID      int               `json:"pid"`
	Target   string            `json:"target"`
	Services map[string]string `json:"services"` // name -> URL (or host:port for non-HTTP)
	Flags    string            `json:"flags"`    // flag service base URL
	Control  string            `json:"control"`  // fault control API base URL
	Token    string            `json:"token"`    // bearer token for the flag admin and control APIs
}

// ErrNoSession is returned by Read when no demo is running.
var ErrNoSession = errors.New("no running gameday demo found (start one with 'gameday demo')")

// Path is the session file: $GAMEDAY_SESSION if set, else
// $XDG_RUNTIME_DIR/gameday/demo.json, else $TMPDIR/gameday-UID/demo.json.
func Path() string {
	if p := os.Getenv("GAMEDAY_SESSION"); p != "" {
		return p
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "gameday", "demo.json")
	}
	return filepath.Join(os.TempDir(), "gameday-"+strconv.Itoa(os.Getuid()), "demo.json")
}

// NewToken returns a random 128-bit hex token.
func NewToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// Write stores info at Path with mode 0600 and returns a func removing it.
// The file is written under a fresh random name created exclusively (never
// through a planted symlink) in a private 0700 directory owned by this
// user, then renamed into place.
func Write(info Info) (remove func(), err error) {
	p := Path()
	dir := filepath.Dir(p)
	if err := privateDir(dir, os.Getenv("GAMEDAY_SESSION") == ""); err != nil {
		return nil, fmt.Errorf("write session: %w", err)
	}
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write session: %w", err)
	}
	tmp, err := writeExclusive(dir, filepath.Base(p), data)
	if err != nil {
		return nil, fmt.Errorf("write session: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("write session: %w", err)
	}
	return func() {
		// only remove the file if it is still ours
		if cur, err := Read(); err == nil && cur.PID == info.PID {
			_ = os.Remove(p)
		}
	}, nil
}

// Read loads the session file; ErrNoSession when there is none or its
// process is gone.
func Read() (Info, error) {
	var info Info
	data, err := readOwned(Path())
	if errors.Is(err, os.ErrNotExist) {
		return info, ErrNoSession
	}
	if err != nil {
		return info, fmt.Errorf("read session: %w", err)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return info, fmt.Errorf("read session %s: %w", Path(), err)
	}
	if info.PID > 0 && !alive(info.PID) {
		return info, ErrNoSession
	}
	return info, nil
}

func alive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// StateDir returns gameday's private per-user directory —
// $XDG_RUNTIME_DIR/gameday, else $TMPDIR/gameday-UID — creating it 0700
// and checking it belongs to this user. Sweep logs live there.
func StateDir() (string, error) {
	dir := filepath.Join(os.TempDir(), "gameday-"+strconv.Itoa(os.Getuid()))
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		dir = filepath.Join(d, "gameday")
	}
	if err := privateDir(dir, true); err != nil {
		return "", err
	}
	return dir, nil
}
