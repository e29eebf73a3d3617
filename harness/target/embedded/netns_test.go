package embedded

import (
	"context"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedPort is the port both programs below insist on.
const fixedPort = "18080"

func TestTwoProgramsOnTheSameHardCodedPort(t *testing.T) {
	if err := netnsSupport(); err != nil {
		t.Fatalf("this machine cannot run fixed-port programs: %v", err)
	}
	back := helperProc(t, "backend", "http")
	front := helperProc(t, "frontend", "http")
	for _, s := range []*target.Service{&back, &front} {
		s.Env["FIXED_PORT"] = fixedPort
		s.Process.ListenEnv = ""
		s.Process.FixedPort = 18080
	}
	front.Calls = []target.Call{{Service: "backend", Env: "BACKEND_URL", Format: "http://{addr}"}}
	begin := time.Now()
	r := startWith(t, Config{}, target.System{Name: "fixed", Services: []target.Service{front, back}})
	t.Logf("two fixed-port programs in namespaces ready in %v", time.Since(begin))

	fd, _ := r.DirectAddr("frontend")
	bd, _ := r.DirectAddr("backend")
	assert.NotEqual(t, fd, bd)
	for _, a := range []string{fd, bd} {
		_, port, _ := net.SplitHostPort(a)
		assert.Equal(t, fixedPort, port)
	}
	addr, _ := r.Addr("frontend")
	code, body := fetch(t, addr, "/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "frontend+backend", body, "a namespaced caller reaches its dependency through the edge proxy")
	edges, _ := r.Edges(context.Background())
	found := false
	for _, e := range edges {
		found = found || (e.Caller == "frontend" && e.Callee == "backend" && e.Requests == 1)
	}
	assert.True(t, found, "the edge is counted: %v", edges)

	// Kill and restart keep the namespace and the address.
	require.NoError(t, r.Kill(context.Background(), "backend"))
	require.NoError(t, r.Start(context.Background(), "backend"))
	_, body = fetch(t, addr, "/")
	assert.Equal(t, "frontend+backend", body)

	hostIf := r.services["backend"].ns.hostIf
	require.NoError(t, r.Stop(context.Background()))
	err := exec.Command("ip", "link", "show", hostIf).Run()
	assert.Error(t, err, "the veth pair went with the namespace")
}

func TestFixedPortWithoutNamespacesPointsToContainers(t *testing.T) {
	old := geteuid
	geteuid = func() int { return 1000 }
	t.Cleanup(func() { geteuid = old })
	svc := helperProc(t, "redis", "http")
	svc.Process.FixedPort = 6379
	tg, _ := NewWithConfig(Config{})
	_, err := tg.Start(context.Background(), target.System{Name: "x", Services: []target.Service{svc}})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNoNetns)
	assert.Contains(t, err.Error(), "service redis listens on fixed port 6379")
	assert.Contains(t, err.Error(), "needs root (euid 1000)")
	assert.Contains(t, err.Error(), "system.Container")
}
