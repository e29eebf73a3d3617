package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/harness/report"
)

// chromiumPath is the browser the report test opens: $CHROME_PATH, else
// the first of Debian's /usr/bin/chromium and the usual names on $PATH (as
// the browser package finds it), or "".
func chromiumPath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, c := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// openHeadless starts the machine's Chromium with a fresh profile and
// returns a tab context; everything is torn down by tb.Cleanup. No
// Chromium fails the test (the caller skips only under -short).
func openHeadless(tb testing.TB) context.Context {
	tb.Helper()
	path := chromiumPath()
	if path == "" {
		tb.Fatal("no Chromium found ($CHROME_PATH, /usr/bin/chromium, chromium, chromium-browser, google-chrome): install Debian's chromium (make deps) or set CHROME_PATH")
	}
	if _, err := exec.LookPath(path); err != nil {
		tb.Fatalf("CHROME_PATH %s: %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tb.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	tb.Cleanup(cancel)
	return ctx
}

// chartInfo is what the page's window.gameday says about one chart.
type chartInfo struct {
	Datasets []struct {
		Label  string `json:"label"`
		Points int    `json:"points"`
		NonNil int    `json:"nonNil"`
	} `json:"datasets"`
	Windows int `json:"windows"`
	Marks   int `json:"marks"`
}

// TestReportRendersInChromium opens report.html from disk in headless
// Chromium, checks that every plot rendered with its series and window
// shading, with no console error and no request leaving the file, and saves
// a screenshot (go test -artifacts -outputdir DIR keeps it).
func TestReportRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts Chromium")
	}
	var r report.Report
	synctest.Test(t, func(t *testing.T) { r = sampleReport(t) })
	dir := t.TempDir()
	if err := report.Write(dir, r); err != nil {
		t.Fatal(err)
	}
	ctx := openHeadless(t)

	var mu sync.Mutex
	var problems, urls []string
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void]("1")); err != nil { // start the browser
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, "console."+string(ev.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *network.EventRequestWillBeSent:
			urls = append(urls, ev.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, report.HTMLFile))); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`window.gameday && (window.gameday.ready || window.gameday.errors.length > 0)`)); err != nil {
		t.Fatalf("page never finished drawing: %v", err)
	}
	errs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.gameday.errors`))
	if err != nil || len(errs) > 0 {
		t.Fatalf("page errors %v (%v)", errs, err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]chartInfo](`Object.fromEntries(Object.entries(window.gameday.charts).map(([id, c]) => [id, {
		datasets: c.data.datasets.map(d => ({label: d.label, points: d.data.length, nonNil: d.data.filter(p => p.y !== null).length})),
		windows: c.options.plugins.gamedayWindows.windows.length,
		marks: c.options.plugins.gamedayWindows.marks.length}]))`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"s0-latency": "p50,p95,p99", "s0-errors": "failed", "s0-throughput": "requests", "s0-vus": "vus", "s0-lcp": "p75,max"}
	if len(charts) != len(want) {
		t.Errorf("charts %v, want %v", keys(charts), keys(want))
	}
	for id, labels := range want {
		c, ok := charts[id]
		if !ok {
			t.Errorf("chart %s missing", id)
			continue
		}
		var got []string
		for _, d := range c.Datasets {
			got = append(got, d.Label)
			if d.Points != 60 || d.NonNil == 0 {
				t.Errorf("%s/%s: %d points (%d with data), want 60", id, d.Label, d.Points, d.NonNil)
			}
		}
		if strings.Join(got, ",") != labels || c.Windows != 2 || c.Marks != 2 {
			t.Errorf("%s: series %v, %d windows, %d marks; want %s, 2, 2", id, got, c.Windows, c.Marks, labels)
		}
	}
	// the fault window is shaded: a pixel inside it, above the lines, is reddish
	px, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => { const c = window.gameday.charts['s0-errors'];
		const x = c.scales.x.getPixelForValue(25), y = c.chartArea.top + 40, r = window.devicePixelRatio || 1;
		return Array.from(c.ctx.getImageData(x * r, y * r, 1, 1).data); })()`))
	if err != nil || len(px) != 4 || !(px[0] > px[2]+10 && px[3] > 0) {
		t.Errorf("pixel in the fault window %v (%v), want a red tint", px, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: lossless PNG
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.ArtifactDir(), "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console problems: %v", problems)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the report requested %s: it must work offline", u)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
