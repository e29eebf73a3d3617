package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Defaults of PoolConfig.
const (
	DefaultMaxContexts  = 8
	DefaultRecycleAfter = 10
	DefaultStepTimeout  = 30 * time.Second
	DefaultStartTimeout = 30 * time.Second
	DefaultVitalsSettle = time.Second
)

// execCandidates are tried in order when neither PoolConfig.ExecPath nor
// $CHROME_PATH names a browser. Only the machine's own Chromium is used:
// gameday never downloads a browser.
var execCandidates = []string{
	"/usr/bin/chromium",
	"chromium",
	"chromium-browser",
	"google-chrome",
	"google-chrome-stable",
}

// ErrNoBrowser is returned when no Chromium executable can be found.
var ErrNoBrowser = errors.New("no chromium executable found (set PoolConfig.ExecPath or $CHROME_PATH)")

// PoolConfig configures a Pool. The zero value is usable once Registry is set.
type PoolConfig struct {
	// ExecPath is the Chromium binary. Default: $CHROME_PATH, else the first
	// of /usr/bin/chromium, chromium, chromium-browser, google-chrome found.
	ExecPath string
	// MaxContexts caps the live browser contexts of the pool (one per VU
	// running a journey). VUs beyond the cap wait. Default 8.
	MaxContexts int
	// RecycleAfter is the number of journeys a VU's context runs before it
	// is closed and replaced by a fresh one. Default 10.
	RecycleAfter int
	// StepTimeout bounds each step of a journey. Default 30s.
	StepTimeout time.Duration
	// StartTimeout bounds starting the browser process. Default 30s.
	StartTimeout time.Duration
	// VitalsSettle is how long, at most, the end of a step waits once per new
	// page for its first paints to be reported, so LCP and FCP are not lost
	// when the next step leaves the page at once. Negative: do not wait,
	// and read the page only after the journey's last step (the probe pushes
	// what it sees as it goes): cheaper, but a page left before it painted
	// reports no LCP. Default 1s.
	VitalsSettle time.Duration
	// Registry receives the browser metrics. Required.
	Registry *metrics.Registry
	// ArtifactDir receives a screenshot and a JSON record per failed step.
	// Default "": failures are still returned and counted, nothing is written.
	ArtifactDir string
	// Timeline, when set, records browser starts, crashes and replacements.
	Timeline *timeline.Timeline
	// AllowHosts are hosts besides loopback the browser may reach (hosts of
	// containers the run started), as Chromium proxy-bypass entries
	// ("host", "host:port", "*.suffix"). Every other host is refused:
	// requests to it fail in the browser and send nothing. Default none.
	AllowHosts []string
	// Flags are extra Chromium switches (name → string or bool), added to
	// the pool's headless defaults.
	Flags map[string]any
}

// withDefaults returns a copy of c with every unset field defaulted.
func (c PoolConfig) withDefaults() PoolConfig {
	if c.ExecPath == "" {
		c.ExecPath = findExecPath()
	}
	if c.MaxContexts == 0 {
		c.MaxContexts = DefaultMaxContexts
	}
	if c.RecycleAfter == 0 {
		c.RecycleAfter = DefaultRecycleAfter
	}
	if c.StepTimeout == 0 {
		c.StepTimeout = DefaultStepTimeout
	}
	if c.VitalsSettle == 0 {
		c.VitalsSettle = DefaultVitalsSettle
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	return c
}

// Validate reports every problem of the configuration after defaults.
func (c PoolConfig) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.ExecPath == "" {
		errs = append(errs, ErrNoBrowser)
	} else if _, err := exec.LookPath(c.ExecPath); err != nil {
		errs = append(errs, fmt.Errorf("exec path %q: %w", c.ExecPath, err))
	}
	if c.MaxContexts < 0 {
		errs = append(errs, fmt.Errorf("max contexts %d: must be positive", c.MaxContexts))
	}
	if c.RecycleAfter < 0 {
		errs = append(errs, fmt.Errorf("recycle after %d: must be positive", c.RecycleAfter))
	}
	if c.StepTimeout < 0 {
		errs = append(errs, fmt.Errorf("step timeout %s: must be positive", c.StepTimeout))
	}
	if c.StartTimeout < 0 {
		errs = append(errs, fmt.Errorf("start timeout %s: must be positive", c.StartTimeout))
	}
	if c.Registry == nil {
		errs = append(errs, errors.New("registry: required"))
	}
	for name, v := range c.Flags {
		switch v.(type) {
		case string, bool:
		default:
			errs = append(errs, fmt.Errorf("flag %q: value must be a string or a bool, not %T", name, v))
		}
	}
	return errors.Join(errs...)
}

// findExecPath returns $CHROME_PATH or the first installed candidate, or "".
func findExecPath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, c := range execCandidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}
