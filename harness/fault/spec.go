package fault

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// parsers build each kind from its parameters; the keys they read are the
// kind's vocabulary (the CLI's flags and Params' keys).
var parsers = map[string]func(p *params) Fault{
	"http": func(p *params) Fault {
		return HTTP{AverageDelay: p.duration("delay"), DelayVariation: p.duration("variation"),
			ErrorRate: p.float("error-rate"), ErrorCode: p.int("error-code"),
			ErrorBody: p.str("error-body"), Exclude: p.list("exclude")}
	},
	"grpc": func(p *params) Fault {
		return GRPC{AverageDelay: p.duration("delay"), DelayVariation: p.duration("variation"),
			ErrorRate: p.float("error-rate"), StatusCode: p.int("status-code"),
			StatusMessage: p.str("status-message"), Exclude: p.list("exclude")}
	},
	"latency": func(p *params) Fault {
		return Latency{Latency: p.duration("latency"), Jitter: p.duration("jitter")}
	},
	"bandwidth":  func(p *params) Fault { return Bandwidth{KBps: p.int64("kbps")} },
	"reset-peer": func(p *params) Fault { return ResetPeer{After: p.duration("after")} },
	"timeout":    func(p *params) Fault { return Timeout{After: p.duration("after")} },
	"blackhole":  func(p *params) Fault { return Blackhole{} },
	"slicer": func(p *params) Fault {
		return Slicer{AverageSize: p.int("size"), SizeVariation: p.int("variation"), Delay: p.duration("delay")}
	},
	"down": func(p *params) Fault { return Down{} },
	"kill": func(p *params) Fault {
		return Kill{RestartAfter: p.duration("restart-after"), NoRestart: p.bool("no-restart")}
	},
	"pause":        func(p *params) Fault { return Pause{} },
	"partition":    func(p *params) Fault { return Partition{From: p.get("from"), To: p.get("to")} },
	"memory-limit": func(p *params) Fault { return MemoryLimit{Bytes: p.bytes("bytes")} },
	"cpu-limit":    func(p *params) Fault { return CPULimit{CPUs: p.float("cpus")} },
}

// Kinds lists the kinds ParseSpec knows, sorted.
func Kinds() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for k := range parsers {
			if !yield(k) {
				return
			}
		}
	})
}

// ParseSpec builds a fault of the given kind from string parameters, the
// form the CLI's flags and the control API carry ("delay": "900ms",
// "error-rate": "0.1", "exclude": "/health,/ready"). Unknown parameters,
// malformed values and an invalid fault are all reported together.
// ParseSpec(f.Kind(), f.Params()) rebuilds f.
func ParseSpec(kind string, args map[string]string) (Fault, error) {
	build, ok := parsers[kind]
	if !ok {
		return nil, fmt.Errorf("unknown fault kind %q (known: %s)", kind, strings.Join(Kinds(), ", "))
	}
	p := newParams(kind, args)
	f := build(p)
	errs := p.errs
	if err := p.unknown(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		if err := f.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f, nil
}

// Spec is a fault request as JSON, the body of the control API's POST
// /faults: {"kind": "http", "target": "product-catalog", "duration": "30s",
// "params": {"delay": "900ms", "variation": "150ms"}}.
type Spec struct {
	Kind     string            `json:"kind"`
	Target   string            `json:"target"`          // selector: a service or a glob
	Duration string            `json:"duration"`        // required, e.g. "30s"
	Start    string            `json:"start,omitempty"` // delay before the fault goes in
	Params   map[string]string `json:"params,omitempty"`
}

// SpecOf describes f injected into target on sched.
func SpecOf(target string, f Fault, sched Schedule) Spec {
	s := Spec{Kind: f.Kind(), Target: target, Duration: sched.Duration.String(), Params: f.Params()}
	if sched.Start > 0 {
		s.Start = sched.Start.String()
	}
	return s
}

// Parse checks the whole spec and returns its fault and schedule.
func (s Spec) Parse() (Fault, Schedule, error) {
	var errs []error
	if s.Target == "" {
		errs = append(errs, errors.New("target is required"))
	}
	var sched Schedule
	var err error
	if s.Duration == "" {
		errs = append(errs, errors.New("duration is required (faults are bounded)"))
	} else if sched.Duration, err = time.ParseDuration(s.Duration); err != nil {
		errs = append(errs, fmt.Errorf("duration %q: %w", s.Duration, err))
	}
	if s.Start != "" {
		if sched.Start, err = time.ParseDuration(s.Start); err != nil {
			errs = append(errs, fmt.Errorf("start %q: %w", s.Start, err))
		}
	}
	if err := sched.Validate(); err != nil && s.Duration != "" {
		errs = append(errs, err)
	}
	f, err := ParseSpec(s.Kind, s.Params)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, Schedule{}, err
	}
	return f, sched, nil
}
