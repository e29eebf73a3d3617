package browser

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// One browser for the whole test binary; tests take cheap contexts from it
// and keep their metrics apart with a "test" tag.
var (
	shared       *Pool
	sharedReg    *metrics.Registry
	sharedTL     *timeline.Timeline
	artifactDir  string
	sharedConfig PoolConfig
)

const sharedMaxContexts = 4
const sharedRecycleAfter = 2

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests needs Chromium: without it the package fails (a green run must
// mean the browser tests ran), except under -short, where it says why it
// skips them.
func runTests(m *testing.M) int {
	flag.Parse()
	if findExecPath() == "" {
		if testing.Short() {
			fmt.Println("skip: -short and no Chromium found ($CHROME_PATH, /usr/bin/chromium, chromium, chromium-browser, google-chrome): the browser tests did not run")
			return 0
		}
		fmt.Println("FAIL: no Chromium found ($CHROME_PATH, /usr/bin/chromium, chromium, chromium-browser, google-chrome): install Debian's chromium (make deps) or set CHROME_PATH")
		return 1
	}
	if os.Getenv(childEnv) != "" { // a child test binary of the leak tests: no shared pool
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "gameday-browser-artifacts-")
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer os.RemoveAll(dir)
	artifactDir = dir
	sharedReg = metrics.NewRegistry(time.Now())
	sharedTL = timeline.New(time.Now())
	sharedConfig = PoolConfig{MaxContexts: sharedMaxContexts, RecycleAfter: sharedRecycleAfter,
		Registry: sharedReg, ArtifactDir: dir, Timeline: sharedTL}
	shared, err = NewPool(context.Background(), sharedConfig)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	code := m.Run()
	if err := shared.Close(); err != nil {
		fmt.Println("close shared pool:", err)
		code = 1
	}
	if p, d := LeftoverProcesses(), LeftoverDirs(); len(p)+len(d) > 0 {
		fmt.Printf("leftovers after the run: processes %v, dirs %v\n", p, d)
		code = 1
	}
	return code
}

// testTags isolates a test's samples in the shared registry.
func testTags(t testing.TB) metrics.Tags { return metrics.Tags{"test": t.Name()} }

// agg returns the whole-run aggregate of name over series matching filter.
func agg(name string, filter metrics.Tags) metrics.Aggregate {
	return sharedReg.Metric(name).Aggregate(filter)
}
