package session

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// privateDir makes sure dir exists, is a real directory (not a symlink)
// owned by this user, and that nobody else can enter or write it: 0700.
// One owned by someone else is refused, since they could plant files in
// it. With wider permissions, gameday's own directory (tighten) is set to
// 0700; any other — a user's $GAMEDAY_SESSION dir — is refused if others
// can write to it (the file itself is 0600, so reading the dir is harmless).
func privateDir(dir string, tighten bool) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("session dir: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("session dir: %w", err)
	}
	if fi.Mode()&os.ModeSymlink != 0 || !fi.IsDir() {
		return fmt.Errorf("session dir %s: not a directory (a symlink or file is in its place)", dir)
	}
	if err := ownedByMe(dir, fi); err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if !tighten && perm&0o022 != 0 {
			return fmt.Errorf("session dir %s: mode %o lets others write in it; use a directory only you can write to", dir, perm)
		}
		if !tighten {
			return nil
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("session dir %s: tighten mode %o to 0700: %w", dir, fi.Mode().Perm(), err)
		}
	}
	return nil
}

func ownedByMe(path string, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil // not a Unix file system: nothing to compare
	}
	if uid := os.Getuid(); int(st.Uid) != uid {
		return fmt.Errorf("session %s: owned by uid %d, not by this user (uid %d); refusing to use it", path, st.Uid, uid)
	}
	return nil
}

// writeExclusive writes data to a new file with a random name in dir —
// created with O_EXCL and O_NOFOLLOW, so nothing planted in its place is
// followed or reused — and returns that name.
func writeExclusive(dir, prefix string, data []byte) (string, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	tmp := filepath.Join(dir, prefix+"."+hex.EncodeToString(b)+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// readOwned reads path without following a symlink, after checking that
// the file belongs to this user.
func readOwned(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("session %s is a symlink; refusing to follow it", path)
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := ownedByMe(path, fi); err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(f, 1<<20))
}
