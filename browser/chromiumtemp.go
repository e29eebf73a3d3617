package browser

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/harness/sweeplog"
)

// chromiumTempPattern names what Chromium creates in TMPDIR (its singleton
// socket's directory, shared-memory files with --disable-dev-shm-usage). A
// killed browser leaves them behind. Pool browsers get a TMPDIR inside
// their user-data-dir; this sweep is for those of older runs and of
// browsers started without a pool.
const chromiumTempPattern = "org.chromium.Chromium.*"

// chromiumTempMinAge spares entries a browser may have just created and
// not yet bound its socket in.
const chromiumTempMinAge = time.Minute

// sweepChromiumTemp removes the Chromium temp entries in dir that belong
// to this user, are older than chromiumTempMinAge and that no live process
// uses: no open file descriptor below them and no unix socket bound in
// them (a running browser's singleton socket). Each removal is logged.
func sweepChromiumTemp(dir string) error {
	matches, _ := filepath.Glob(filepath.Join(dir, chromiumTempPattern))
	if len(matches) == 0 {
		return nil
	}
	used := pathsInUse()
	var errs []error
	for _, m := range matches {
		fi, err := os.Lstat(m)
		if err != nil || time.Since(fi.ModTime()) < chromiumTempMinAge || !mine(fi) || inUse(m, used) {
			continue
		}
		if err := os.RemoveAll(m); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", m, err))
			continue
		}
		sweeplog.Logf(nil, "browser: swept Chromium temp entry %s (no process uses it)", m)
	}
	return errors.Join(errs...)
}

func mine(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

func inUse(path string, used []string) bool {
	for _, u := range used {
		if u == path || strings.HasPrefix(u, path+"/") {
			return true
		}
	}
	return false
}

// pathsInUse lists the unix sockets bound on this machine and the files
// this user's processes hold open.
func pathsInUse() []string {
	var out []string
	if f, err := os.Open("/proc/net/unix"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 8 && strings.HasPrefix(fields[7], "/") {
				out = append(out, fields[7])
			}
		}
		f.Close()
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if t, err := os.Readlink(fd); err == nil && strings.HasPrefix(t, "/") {
			out = append(out, t)
		}
	}
	return out
}
