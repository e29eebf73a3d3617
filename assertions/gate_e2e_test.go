package assertions_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/report"
	"github.com/gameday-dev/gameday/harness/target"
)

// echo is a one-service system answering "ok".
func echo() target.System {
	return target.System{Name: "echo", Services: []target.Service{{Name: "echo", Protocol: target.HTTP, Public: true,
		Run: func(ctx context.Context, ln net.Listener, _ target.Env) error {
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })}
			go func() { <-ctx.Done(); _ = srv.Close() }()
			if err := srv.Serve(ln); err != http.ErrServerClosed {
				return err
			}
			return nil
		}}}}
}

// userTests stands in for a user's *testing.M: three tests written the way
// a user writes them, on harness.Runner handles (what *testing.T does for
// go test).
type userTests struct{ code int }

func (u *userTests) Run() int {
	test := func(name string, body func(t harness.T)) {
		r := harness.NewRunner(context.Background(), name, nil)
		r.Run(body)
		if r.Failed() {
			u.code = 1
		}
	}
	ping := func(t harness.T) *harness.Run {
		env := harness.Start(t, echo(), harness.WithTarget("embedded"))
		url := env.URL("echo")
		run := env.Load(t, load.Scenarios{"ping": load.PerVUIterations{VUs: 1, Iterations: 5,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, url, load.Name("ping"))
				return err
			}}}, nil)
		return run.Wait(t)
	}
	test("TestHolds", func(t harness.T) {
		assertions.Thresholds(t, ping(t), map[string][]string{"http_req_failed{name:ping}": {"rate<0.01"}})
	})
	test("TestBreaks", func(t harness.T) {
		assertions.Thresholds(t, ping(t), map[string][]string{"http_req_duration{name:ping}": {"p(95)<0"}})
	})
	test("TestSetupBreaks", func(t harness.T) {
		harness.Start(t, echo(), harness.WithTarget("embedded"))
		t.Fatalf("set flag paymentFailure: no flag service")
	})
	return u.code
}

// A user's own go test writes the gate's three files (report.Main), with
// the same verdicts as gameday run: PASS, FAIL (an SLO judgement of this
// package marks the handle), ERROR (setup).
func TestMainWritesTheGateReport(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(report.EnvDir, dir)
	code := report.Main(&userTests{})
	if code != 1 {
		t.Errorf("exit %d, want 1 (tests failed)", code)
	}
	out := filepath.Join(dir, "assertions") // this package's path in the module
	b, err := os.ReadFile(filepath.Join(out, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Verdict   string
		Scenarios []struct {
			Name, Verdict, Error string
			Failures             []string
			Summary              json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"TestHolds": "pass", "TestBreaks": "fail", "TestSetupBreaks": "error"}
	if s.Verdict != "error" || len(s.Scenarios) != 3 {
		t.Fatalf("summary.json verdict %q, %d scenarios: %s", s.Verdict, len(s.Scenarios), b)
	}
	for _, sc := range s.Scenarios {
		if want[sc.Name] != sc.Verdict {
			t.Errorf("%s: verdict %q, want %q", sc.Name, sc.Verdict, want[sc.Name])
		}
		if sc.Verdict == "fail" && len(sc.Failures) != 1 {
			t.Errorf("%s: failures %q, want the SLO's message", sc.Name, sc.Failures)
		}
		if sc.Name != "TestSetupBreaks" && len(sc.Summary) == 0 {
			t.Errorf("%s: no k6 summary of its run", sc.Name)
		}
	}
	b, err = os.ReadFile(filepath.Join(out, report.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(b, &j); err != nil || j.Errors != 1 || j.Failures == 0 {
		t.Errorf("junit.xml: %+v (%v)", j, err)
	}
	if _, err := os.Stat(filepath.Join(out, report.HTMLFile)); err != nil {
		t.Error(err)
	}
}

// Without $GAMEDAY_REPORT, Main only runs the tests.
func TestMainWithoutDir(t *testing.T) {
	t.Setenv(report.EnvDir, "")
	if code := report.Main(&userTests{}); code != 1 {
		t.Errorf("exit %d", code)
	}
}
