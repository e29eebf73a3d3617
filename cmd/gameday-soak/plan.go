package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// Mode is how a short run ends.
type Mode string

// The modes. Leak is the leak checker's self-test: the run leaves a
// process and a temp file behind on purpose; the soak never picks it.
const (
	Clean      Mode = "clean"
	Panic      Mode = "panic"
	Fatal      Mode = "fatal"
	CtxTimeout Mode = "ctx-timeout"
	SIGINT     Mode = "sigint"
	SIGTERM    Mode = "sigterm"
	SIGKILL    Mode = "sigkill"
	Leak       Mode = "leak"
)

// Modes are the modes the soak draws from.
var Modes = []Mode{Clean, Panic, Fatal, CtxTimeout, SIGINT, SIGTERM, SIGKILL}

// Plan is one short run.
type Plan struct {
	N      int           `json:"n"`
	Target string        `json:"target"` // embedded or docker
	Mode   Mode          `json:"mode"`
	At     time.Duration `json:"at"` // when the interruption happens, from the child's start
}

func (p Plan) String() string {
	return fmt.Sprintf("#%d %s %s at %s", p.N, p.Target, p.Mode, p.At.Round(time.Millisecond))
}

// encode is the plan as the child's environment carries it.
func (p Plan) encode() string {
	b, _ := json.Marshal(p)
	return string(b)
}

func decodePlan(s string) (Plan, error) {
	var p Plan
	err := json.Unmarshal([]byte(s), &p)
	return p, err
}

// span is how long a short run takes on each target, start to exit, so
// interruptions land anywhere in it: during start-up, load, the fault, or
// the cleanup.
func span(target string) time.Duration {
	if target == "docker" {
		return 18 * time.Second
	}
	return 4 * time.Second
}

// NewPlans draws n plans per target from modes (all of Modes when empty),
// with a random point in the run's span (span(target) when 0).
func NewPlans(targets []string, n int, seed uint64, modes []Mode, within time.Duration) []Plan {
	if len(modes) == 0 {
		modes = Modes
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var plans []Plan
	for _, tgt := range targets {
		d := within
		if d <= 0 {
			d = span(tgt)
		}
		for i := range n {
			m := modes[(i+rng.IntN(len(modes)))%len(modes)]
			plans = append(plans, Plan{N: len(plans) + 1, Target: tgt, Mode: m, At: time.Duration(rng.Int64N(int64(d)))})
		}
	}
	return plans
}
