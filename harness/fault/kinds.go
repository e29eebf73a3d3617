package fault

import "github.com/gameday-dev/gameday/harness/fault/kind"

// The fault kinds, defined in package kind; see each type there.
type (
	HTTP        = kind.HTTP
	GRPC        = kind.GRPC
	Latency     = kind.Latency
	Bandwidth   = kind.Bandwidth
	ResetPeer   = kind.ResetPeer
	Timeout     = kind.Timeout
	Blackhole   = kind.Blackhole
	Slicer      = kind.Slicer
	LimitData   = kind.LimitData
	Down        = kind.Down
	Kill        = kind.Kill
	Pause       = kind.Pause
	Partition   = kind.Partition
	MemoryLimit = kind.MemoryLimit
	CPULimit    = kind.CPULimit
)

// MinMemoryLimit is the smallest memory limit accepted: Docker refuses
// limits below 6 MiB.
const MinMemoryLimit = kind.MinMemoryLimit

// ParseSpec builds a fault of the given kind from string parameters, the
// form the CLI's flags and the control API carry ("delay": "900ms",
// "error-rate": "0.1", "exclude": "/health,/ready"). Unknown parameters,
// malformed values and an invalid fault are all reported together.
// ParseSpec(f.Kind(), f.Params()) rebuilds f.
func ParseSpec(name string, args map[string]string) (Fault, error) { return kind.Parse(name, args) }

// Kinds lists the kinds ParseSpec knows, sorted.
func Kinds() []string { return kind.Names() }
