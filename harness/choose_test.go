package harness

import (
	"context"
	"strings"
	"testing"

	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
)

func TestAutoRunsSystemsWithoutAContainerFormLocally(t *testing.T) {
	procs := system.New("shop", system.Process("api", "/bin/true"), system.Process("db", "/bin/true"))
	noBinary := target.System{Name: "funcs", Services: []target.Service{{Name: "a", Run: nil}}}
	for _, tc := range []struct {
		sys  target.System
		want string
	}{
		{procs, "auto: system shop has no container form (api is a process); running it locally"},
		{noBinary, "auto: system funcs has no container form (no Binary); running it locally"},
	} {
		tgt, why, err := chooseTarget(context.Background(), "auto", tc.sys, defaultConfig())
		if err != nil {
			t.Fatalf("%s: %v", tc.sys.Name, err)
		}
		if tgt.Name() != "embedded" || why != tc.want {
			t.Errorf("%s: target %s (%s), want embedded (%s)", tc.sys.Name, tgt.Name(), why, tc.want)
		}
	}
	_, _, err := chooseTarget(context.Background(), "docker", procs, defaultConfig())
	if err == nil || !strings.Contains(err.Error(), "target docker: system shop has no container form (api is a process)") {
		t.Errorf("docker for a process system: %v", err)
	}
}

func TestURLOfAnUnknownServiceFailsTheTest(t *testing.T) {
	sys := system.New("one", system.External("api", "http://127.0.0.1:1"))
	r := NewRunner(context.Background(), "url", nil)
	reached := false
	r.Run(func(t T) {
		env := &Env{System: sys, Running: fakeRunning{}, t: t}
		_ = env.URL("nope")
		reached = true
	})
	msgs := strings.Join(r.Messages(), "\n")
	if !r.Failed() || reached || !strings.Contains(msgs, "url of nope: unknown service") {
		t.Errorf("failed=%v reached=%v messages=%q: want the test failed and stopped", r.Failed(), reached, msgs)
	}
	env := &Env{System: sys, Running: fakeRunning{}}
	if _, err := env.ServiceURL("nope"); err == nil || !strings.Contains(err.Error(), "(services: [api])") {
		t.Errorf("ServiceURL(nope) = %v, want an error naming the services", err)
	}
	if u, err := env.ServiceURL("api"); err != nil || u != "http://127.0.0.1:9" {
		t.Errorf("ServiceURL(api) = %q, %v", u, err)
	}
}

type fakeRunning struct{}

func (fakeRunning) Kind() string       { return "fake" }
func (fakeRunning) Services() []string { return []string{"api"} }
func (fakeRunning) Addr(s string) (string, error) {
	if s == "api" {
		return "127.0.0.1:9", nil
	}
	return "", target.ErrUnknownService
}
func (fakeRunning) Stop(context.Context) error { return nil }
