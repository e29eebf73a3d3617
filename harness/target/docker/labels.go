package docker

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"time"
)

// Labels on every container, network and image gameday creates.
const (
	LabelApp     = "gameday"         // always "1": `gameday clean` removes everything with it
	LabelRun     = "gameday.run"     // the run id
	LabelService = "gameday.service" // the service a container belongs to
	LabelRole    = "gameday.role"    // RoleService or RoleProxy
	LabelHost    = "gameday.host"    // hostname of the process that started the run
	LabelPID     = "gameday.pid"     // its PID: the sweeper removes runs whose process is gone
	LabelCreated = "gameday.created" // RFC 3339 start time of the run
)

// Container roles.
const (
	RoleService = "service" // runs `gameday serve SERVICE`
	RoleProxy   = "proxy"   // the fault-proxy sidecar, `gameday agent`
)

// Ports inside a sidecar's network namespace, which its service shares.
const (
	ServicePort  = 8080 // the sidecar listens here for the service's callers
	ControlPort  = 9090 // the sidecar's control API
	UpstreamPort = 8081 // the service listens here; its sidecar forwards to it
)

func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "gd-" + hex.EncodeToString(b)
}

// runLabels are the labels shared by everything of one run.
func runLabels(runID string, started time.Time) map[string]string {
	host, _ := os.Hostname()
	return map[string]string{
		LabelApp:     "1",
		LabelRun:     runID,
		LabelHost:    host,
		LabelPID:     strconv.Itoa(os.Getpid()),
		LabelCreated: started.UTC().Format(time.RFC3339),
	}
}

func with(labels map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(labels)+len(kv)/2)
	for k, v := range labels {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
