package browser

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// exited reports whether pid is gone or a zombie (it has exited; only its
// parent's wait is pending).
func exited(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z' || s[i+2] == 'X'
}

// TestCloseReturnsAfterEveryChromiumProcessExited: the crash handlers,
// which Chromium double-forks away from its own tree, included.
func TestCloseReturnsAfterEveryChromiumProcessExited(t *testing.T) {
	shop := NewTestShop(t)
	p, err := NewPool(t.Context(), sharedConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RunJourney(t.Context(), 1, HomeOnly(shop.URL), testTags(t)); err != nil {
		t.Error(err)
	}
	p.mu.Lock()
	dir := p.proc.dir
	p.mu.Unlock()
	pids := pidsUsing(dir, false)
	crashHandlers := 0
	for _, pid := range pids {
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); err == nil && strings.Contains(string(b), "crashpad") {
			crashHandlers++
		}
	}
	if len(pids) < 3 || crashHandlers == 0 {
		t.Fatalf("found %d processes (%d crash handlers) of the pool's browser; the lookup misses some", len(pids), crashHandlers)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if !exited(pid) {
			t.Errorf("chromium process %d still running when Close returned", pid)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("user-data-dir %s (with Chromium's TMPDIR) still there: %v", dir, err)
	}
}

func TestSweepChromiumTempSparesLiveAndNew(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * chromiumTempMinAge)
	mk := func(name string, age time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, age, age); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk("org.chromium.Chromium.stale1", old)
	fresh := mk("org.chromium.Chromium.fresh1", time.Now())
	live := mk("org.chromium.Chromium.live01", old)
	ln, err := net.Listen("unix", filepath.Join(live, "SingletonSocket"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := os.Chtimes(live, old, old); err != nil {
		t.Fatal(err)
	}
	other := mk("not-chromium", old)
	if err := sweepChromiumTemp(dir); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, fresh: true, live: true, other: true} {
		_, err := os.Stat(p)
		if got := err == nil; got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(p), got, want)
		}
	}
}
