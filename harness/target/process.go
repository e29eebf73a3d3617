package target

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultGracePeriod is how long a process has between SIGTERM and SIGKILL.
const DefaultGracePeriod = time.Second

// Process runs a service as a program: any executable, started by the
// local (embedded) target with a port gameday picked.
//
// The program learns its listen address the way it wants it: through the
// variable ListenEnv (formatted by ListenFormat), or through the
// placeholders {addr} (host:port), {host} and {port} in Args and in the
// service's Env values. A program that always listens on one port it
// cannot be told to change sets FixedPort; it then runs in a network
// namespace of its own (root on Linux) so several such programs do not
// collide.
type Process struct {
	Path string   // program path, or a name looked up in $PATH
	Args []string // arguments; {addr}, {host}, {port} are replaced
	Dir  string   // working directory; default the test's

	// ListenEnv names the variable that tells the program where to listen,
	// e.g. "LISTEN_ADDR" or "PORT"; its value is ListenFormat expanded.
	ListenEnv    string
	ListenFormat string // default "{addr}"

	// FixedPort is the port the program listens on whatever it is told
	// (0: it listens where gameday says).
	FixedPort int

	// GracePeriod is the time between SIGTERM and SIGKILL when the
	// process is stopped. Default DefaultGracePeriod.
	GracePeriod time.Duration

	// InheritEnv passes the test process's environment (PATH, HOME, ...)
	// under the service's own Env. Default true through harness/system.
	InheritEnv bool
}

// Validate reports every problem with p.
func (p *Process) Validate() error {
	var errs []error
	if p.Path == "" {
		errs = append(errs, errors.New("no program path"))
	}
	if strings.ContainsAny(p.ListenEnv, "= \t\n") {
		errs = append(errs, fmt.Errorf("listen env %q: must not contain '=' or spaces", p.ListenEnv))
	}
	if p.ListenFormat != "" && p.ListenEnv == "" {
		errs = append(errs, fmt.Errorf("listen format %q without a listen env", p.ListenFormat))
	}
	if p.FixedPort < 0 || p.FixedPort > 65535 {
		errs = append(errs, fmt.Errorf("fixed port %d: must be 1-65535", p.FixedPort))
	}
	if p.GracePeriod < 0 {
		errs = append(errs, fmt.Errorf("grace period %s: must not be negative", p.GracePeriod))
	}
	return errors.Join(errs...)
}
