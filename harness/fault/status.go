package fault

import "time"

// Status is an injection as the control API reports it.
type Status struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Target   string            `json:"target"`   // the selector asked for
	Services []string          `json:"services"` // what it matched
	Fault    string            `json:"fault"`    // e.g. "http: delay 900ms±150ms, 0% errors"
	Params   map[string]string `json:"params,omitempty"`
	State    State             `json:"state"`
	Reason   string            `json:"reason,omitempty"` // why it ended
	Start    time.Time         `json:"start"`
	Until    time.Time         `json:"until"`
	Error    string            `json:"error,omitempty"`
}

// StatusOf describes i now.
func StatusOf(i *Injection) Status {
	s := Status{ID: i.ID(), Kind: i.fault.Kind(), Target: i.selector, Services: i.Services(),
		Fault: i.fault.String(), Params: i.fault.Params(), State: i.State(), Reason: i.Reason(),
		Start: i.Started(), Until: i.Until()}
	if err := i.Err(); err != nil {
		s.Error = err.Error()
	}
	return s
}
