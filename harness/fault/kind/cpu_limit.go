package kind

import (
	"fmt"
	"math"
)

// maxCPUs bounds CPULimit: more than any machine this runs on.
const maxCPUs = 1024

// CPULimit caps a service's CPU to a number of cores (containers only:
// other targets refuse it). On revert the limit is lifted.
type CPULimit struct {
	CPUs float64
}

func init() {
	Register(Def{Name: "cpu-limit", Command: "cpu", Layer: LayerLifecycle, Summary: "cap the service's CPU",
		Example: map[string]string{"cpus": "0.5"},
		Params:  []Param{{Key: "cpus", Help: "CPU limit, e.g. 0.5 (docker only)"}},
		New:     func(r *Reader) Fault { return CPULimit{CPUs: r.Float("cpus")} }})
}

// Kind is "cpu-limit".
func (CPULimit) Kind() string { return "cpu-limit" }

// Validate refuses zero, negative, NaN and absurd CPU counts.
func (c CPULimit) Validate() error {
	if math.IsNaN(c.CPUs) || c.CPUs <= 0 || c.CPUs > maxCPUs {
		return fmt.Errorf("cpu-limit: %v CPUs is outside (0, %d]", c.CPUs, maxCPUs)
	}
	return nil
}

// String reads like "cpu-limit: 0.5 CPUs".
func (c CPULimit) String() string { return "cpu-limit: " + trimFloat(c.CPUs, 6) + " CPUs" }

// Params is the fault's text form.
func (c CPULimit) Params() map[string]string { return Writer{}.Float("cpus", c.CPUs) }
