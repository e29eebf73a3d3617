package kind

import "fmt"

// MinMemoryLimit is the smallest memory limit accepted: Docker refuses
// limits below 6 MiB.
const MinMemoryLimit = 6 << 20

// MemoryLimit caps a service's memory (containers only: other targets
// refuse it). A service that outgrows it is OOM-killed, which the target
// reports through its state. On revert the limit is lifted.
type MemoryLimit struct {
	Bytes int64
}

func init() {
	Register(Def{Name: "memory-limit", Command: "memory", Layer: LayerLifecycle, Summary: "cap the service's memory",
		Example: map[string]string{"bytes": "20Mi"},
		Params:  []Param{{Key: "bytes", Flag: "limit", Help: "memory limit, e.g. 20Mi (docker only)"}},
		New:     func(r *Reader) Fault { return MemoryLimit{Bytes: r.Bytes("bytes")} }})
}

// Kind is "memory-limit".
func (MemoryLimit) Kind() string { return "memory-limit" }

// Validate refuses limits below MinMemoryLimit.
func (m MemoryLimit) Validate() error {
	if m.Bytes < MinMemoryLimit {
		return fmt.Errorf("memory-limit: %s is below the %s minimum", FormatBytes(m.Bytes), FormatBytes(MinMemoryLimit))
	}
	return nil
}

// String reads like "memory-limit: 20Mi".
func (m MemoryLimit) String() string { return "memory-limit: " + FormatBytes(m.Bytes) }

// Params is the fault's text form.
func (m MemoryLimit) Params() map[string]string {
	return map[string]string{"bytes": FormatBytes(m.Bytes)}
}
