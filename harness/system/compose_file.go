package system

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ComposeTool is the command Compose runs to read a compose file
// (`docker-compose -f FILE config`): Debian's docker-compose package. It
// validates the file and resolves what the format allows (variable
// interpolation, env_file, extends, relative build contexts), so gameday
// reads one normalized form.
var ComposeTool = "docker-compose"

// composeFile is the part of a normalized compose file gameday runs.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]*composeVolume `yaml:"volumes"`
}

// composeVolume is a top-level named volume.
type composeVolume struct {
	External bool   `yaml:"external"`
	Driver   string `yaml:"driver"`
}

// composeMount is a service's volume in the long syntax.
type composeMount struct {
	Type     string `yaml:"type"`
	Source   string `yaml:"source"`
	Target   string `yaml:"target"`
	ReadOnly bool   `yaml:"read_only"`
}

type composeService struct {
	Image       string             `yaml:"image"`
	Build       *composeBuild      `yaml:"build"`
	Command     yaml.Node          `yaml:"command"`
	Entrypoint  yaml.Node          `yaml:"entrypoint"`
	Environment map[string]*string `yaml:"environment"`
	Ports       []composePort      `yaml:"ports"`
	Expose      []string           `yaml:"expose"`
	Healthcheck *composeHealth     `yaml:"healthcheck"`
	Labels      map[string]string  `yaml:"labels"`
	Volumes     []yaml.Node        `yaml:"volumes"`
	DependsOn   yaml.Node          `yaml:"depends_on"`
	User        string             `yaml:"user"`
	WorkingDir  string             `yaml:"working_dir"`
}

type composeBuild struct {
	Context    string             `yaml:"context"`
	Dockerfile string             `yaml:"dockerfile"`
	Args       map[string]*string `yaml:"args"`
}

type composePort struct {
	Target    int    `yaml:"target"`
	Published any    `yaml:"published"`
	Protocol  string `yaml:"protocol"`
}

type composeHealth struct {
	Test        yaml.Node `yaml:"test"`
	Interval    string    `yaml:"interval"`
	Timeout     string    `yaml:"timeout"`
	StartPeriod string    `yaml:"start_period"`
	Retries     int       `yaml:"retries"`
	Disable     bool      `yaml:"disable"`
}

// readCompose runs ComposeTool on file and parses its normalized output.
func readCompose(file string) (composeFile, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ComposeTool, "-f", file, "config")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, exec.ErrNotFound) {
		return composeFile{}, fmt.Errorf("read compose file %s: %s not found (apt-get install docker-compose)", file, ComposeTool)
	}
	if err != nil {
		return composeFile{}, fmt.Errorf("read compose file %s: %w: %s", file, err, strings.TrimSpace(stderr.String()))
	}
	var cf composeFile
	if err := yaml.Unmarshal(out, &cf); err != nil {
		return composeFile{}, fmt.Errorf("read compose file %s: %w", file, err)
	}
	if len(cf.Services) == 0 {
		return composeFile{}, fmt.Errorf("read compose file %s: no services", file)
	}
	return cf, nil
}

// words is a command given as a list, or as a string split the way a
// shell splits words (quotes group, no expansion).
func words(n yaml.Node) ([]string, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.SequenceNode:
		var out []string
		err := n.Decode(&out)
		return out, err
	case yaml.ScalarNode:
		return splitWords(n.Value)
	}
	return nil, fmt.Errorf("line %d: want a string or a list", n.Line)
}

func splitWords(s string) ([]string, error) {
	var (
		out   []string
		cur   strings.Builder
		quote rune
		in    bool
	)
	for _, c := range s {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("command %q: unclosed quote", s)
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

// callerPort is the container port a compose service's callers use: the
// first of expose, else of ports; "" when the file gives none.
func (s composeService) callerPort() string {
	if len(s.Expose) > 0 {
		p := s.Expose[0]
		if i := strings.IndexByte(p, '-'); i >= 0 {
			p = p[:i] // a range: its first port
		}
		return p
	}
	for _, p := range s.Ports {
		if p.Protocol == "" || p.Protocol == "tcp" {
			return strconv.Itoa(p.Target)
		}
	}
	return ""
}

// tcpPorts are every TCP container port the service names in expose and
// ports, the caller port first, each once (a range in expose gives its
// first port).
func (s composeService) tcpPorts() []string {
	var out []string
	add := func(p string) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	add(s.callerPort())
	for _, p := range s.Expose {
		if i := strings.IndexByte(p, '-'); i >= 0 {
			p = p[:i]
		}
		add(strings.TrimSuffix(p, "/tcp"))
	}
	for _, p := range s.Ports {
		if p.Protocol == "" || p.Protocol == "tcp" {
			add(strconv.Itoa(p.Target))
		}
	}
	return out
}

// duration parses a compose duration ("1m30s", "500ms"); "" is 0.
func duration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}
