package harness_test

import (
	"bufio"
	"context"
	"net"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// redisPing sends PING to addr and says whether PONG came back within d.
func redisPing(addr string, d time.Duration) bool {
	c, err := net.DialTimeout("tcp", addr, d)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(d))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "+PONG\r\n"
}

// The lifecycle faults of harness/fault act on a real program (Debian's
// redis-server, which `make deps` installs) through the local target's
// Killer, Pauser and Limiter.
func TestLifecycleFaultsOnAProcess(t *testing.T) {
	env := harness.Start(t, system.New("cache", system.Process("redis", "redis-server", system.Protocol(target.TCP),
		system.Args("--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))))
	addr, _ := env.Addr("redis")
	if !redisPing(addr, time.Second) {
		t.Fatal("redis does not answer PING")
	}
	lim := env.Running.(target.Limiter)
	ctx := context.Background()

	kill := env.Inject(t, "redis", fault.Kill{RestartAfter: 300 * time.Millisecond}, fault.For(2*time.Second))
	if redisPing(addr, 200*time.Millisecond) {
		t.Error("redis answered while killed")
	}
	if err := kill.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := lim.State(ctx, "redis"); !st.Running || st.Restarts != 1 || !redisPing(addr, time.Second) {
		t.Errorf("after the kill's restart: %+v, want running again, 1 restart", st)
	}

	pause := env.Inject(t, "redis", fault.Pause{}, fault.For(500*time.Millisecond))
	if redisPing(addr, 200*time.Millisecond) {
		t.Error("redis answered while paused")
	}
	_ = pause.Wait(ctx)
	if !redisPing(addr, time.Second) {
		t.Error("redis does not answer after the pause")
	}

	mem := env.Inject(t, "redis", fault.MemoryLimit{Bytes: 64 << 20}, fault.For(300*time.Millisecond))
	cpu := env.Inject(t, "redis", fault.CPULimit{CPUs: 0.5}, fault.For(300*time.Millisecond))
	if st, _ := lim.State(ctx, "redis"); st.MemoryBytes <= 0 {
		t.Errorf("state under a memory limit: %+v, want its cgroup's memory use", st)
	}
	if err := mem.Wait(ctx); err != nil {
		t.Error(err)
	}
	if err := cpu.Wait(ctx); err != nil {
		t.Error(err)
	}
	if !redisPing(addr, time.Second) {
		t.Error("redis does not answer after the limits were lifted")
	}
}

// A process the kernel OOM-kills under a memory limit lands on the run's
// timeline, where assertions.NoOOM looks.
func TestOOMKillOfAProcessIsOnTheTimeline(t *testing.T) {
	env := harness.Start(t, system.New("cache", system.Process("redis", "redis-server", system.Protocol(target.TCP),
		system.Args("--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--enable-debug-command", "yes"))))
	addr, _ := env.Addr("redis")
	env.Inject(t, "redis", fault.MemoryLimit{Bytes: 16 << 20}, fault.For(10*time.Second))
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("DEBUG POPULATE 1000000 key 100\r\n")) // ~150 MB of keys
	_, _ = bufio.NewReader(c).ReadString('\n')
	var oom bool
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end) && !oom; time.Sleep(20 * time.Millisecond) {
		for _, ev := range env.Timeline.Events() {
			oom = oom || (ev.Kind == timeline.TargetOOM && ev.Target == "redis")
		}
	}
	if !oom {
		t.Errorf("timeline %v: want redis's OOM kill", env.Timeline.Events())
	}
}
