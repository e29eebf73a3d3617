package load

import (
	"context"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// VU is one virtual user. An Exec receives its VU; a VU runs one iteration
// at a time, so its fields need no locking inside an Exec.
type VU struct {
	// ID is unique in the run, from 1.
	ID uint64
	// IDInScenario is unique in the scenario, from 1.
	IDInScenario uint64
	// Iteration is the number of this VU's current iteration, from 0.
	Iteration uint64
	// Scenario is the scenario's name.
	Scenario string
	// HTTP is the VU's instrumented HTTP client.
	HTTP *Client
	// Tags are added to every sample this VU records from now on.
	Tags metrics.Tags
	// Metrics is the run's registry, for custom metrics.
	Metrics *metrics.Registry
	// ScheduledAt is when an open-model (arrival-rate) iteration was due:
	// the iteration's latency clock. Zero for the closed-model executors.
	ScheduledAt time.Time
	// Data is the Exec's own per-VU state (a browser tab, a session),
	// kept across the VU's iterations.
	Data any

	sr        *scenarioRun
	ctx       context.Context // the current iteration's
	client    Client
	lean      leanSlot
	group     string
	iterStart time.Time
	firstReq  bool // the next request is the open-model iteration's first
	httpCache map[reqKey]*httpSeries
	checks    map[checkKey]*metrics.Series
	groups    map[string]*metrics.Series
	onClose   []func()
}

// OnClose registers fn to run when the VU stops (after its last
// iteration, even an interrupted one), to release what Data holds.
// Functions run in reverse order of registration.
func (vu *VU) OnClose(fn func()) { vu.onClose = append(vu.onClose, fn) }

// close releases the VU's connection when its goroutine ends.
func (vu *VU) close() {
	for i := len(vu.onClose) - 1; i >= 0; i-- {
		vu.onClose[i]()
	}
	vu.onClose = nil
	vu.lean.close()
}

type checkKey struct{ name, group, tags string }

// Check records one check (the checks rate: 1 when ok) tagged with its
// name, and returns ok.
func (vu *VU) Check(name string, ok bool) bool {
	k := checkKey{name, vu.group, vu.userTagsKey()}
	s := vu.checks[k]
	if s == nil {
		if vu.checks == nil {
			vu.checks = map[checkKey]*metrics.Series{}
		}
		s = vu.Metrics.Metric(metrics.Checks).Series(vu.sampleTags("check", name))
		vu.checks[k] = s
	}
	v := 0.0
	if ok {
		v = 1
	}
	s.Add(time.Now(), v)
	return ok
}

// Group runs fn as a named group: samples recorded inside carry the group
// tag (k6's "::outer::inner" form) and group_duration records its length.
func (vu *VU) Group(name string, fn func()) {
	parent := vu.group
	vu.group = parent + "::" + name
	defer func() { vu.group = parent }()
	start := time.Now()
	fn()
	end := time.Now()
	k := vu.group + "\x00" + vu.userTagsKey()
	s := vu.groups[k]
	if s == nil {
		if vu.groups == nil {
			vu.groups = map[string]*metrics.Series{}
		}
		s = vu.Metrics.Metric(metrics.GroupDuration).Series(vu.sampleTags())
		vu.groups[k] = s
	}
	s.Add(end, ms(end.Sub(start)))
}

// GroupName is the current group ("" at the top, "::a::b" nested).
func (vu *VU) GroupName() string { return vu.group }

// SampleTags is the tag set this VU's samples carry now (scenario and its
// tags, group, the VU's Tags) plus the key, value pairs kv: for custom
// metrics and other producers (browser VUs) tagged like the HTTP samples.
// Cache the *metrics.Series made from it on hot paths.
func (vu *VU) SampleTags(kv ...string) metrics.Tags { return vu.sampleTags(kv...) }

// sampleTags is the scenario's tags, the group, the VU's tags, then kv.
func (vu *VU) sampleTags(kv ...string) metrics.Tags {
	t := make(metrics.Tags, len(vu.sr.tags)+len(vu.Tags)+1+len(kv)/2)
	for k, v := range vu.sr.tags {
		t[k] = v
	}
	t["group"] = vu.group
	for k, v := range vu.Tags {
		t[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		t[kv[i]] = kv[i+1]
	}
	return t
}

// userTagsKey identifies vu.Tags in the series caches; "" without tags.
func (vu *VU) userTagsKey() string {
	if len(vu.Tags) == 0 {
		return ""
	}
	return vu.Tags.String()
}
