package docker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/moby/moby/client"
)

// DefaultMaxAge is how old a run started on another host must be before
// the sweeper treats it as dead (its PID cannot be checked from here).
const DefaultMaxAge = 6 * time.Hour

// Sweep removes the containers, networks and volumes of dead runs: runs started on
// this host by a process that no longer exists, and runs from other hosts
// older than DefaultMaxAge. Live runs — this process's, or another test
// binary's running in parallel — are left alone. It returns the run IDs it
// removed. Start calls it (see WithoutSweep).
func Sweep(ctx context.Context) ([]string, error) {
	cli, err := newClient()
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	runs, err := listRuns(ctx, cli)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	var removed []string
	var errs []error
	watched, err := reapedRuns(ctx, cli)
	if err != nil {
		return nil, err
	}
	for id, labels := range runs {
		if !runDead(labels, host, time.Now()) || watched[id] {
			continue // alive, or its own reaper is sweeping it right now
		}
		if err := removeRun(ctx, cli, id); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, id)
	}
	return removed, errors.Join(errs...)
}

// listRuns returns the labels of every run that still has a container, a
// network or a volume, by run ID.
func listRuns(ctx context.Context, cli *client.Client) (map[string]map[string]string, error) {
	f := client.Filters{}.Add("label", LabelApp+"=1")
	runs := map[string]map[string]string{}
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list gameday containers: %w", err)
	}
	for _, c := range cs.Items {
		if id := c.Labels[LabelRun]; id != "" {
			runs[id] = c.Labels
		}
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list gameday networks: %w", err)
	}
	for _, n := range ns.Items {
		if id := n.Labels[LabelRun]; id != "" {
			if _, ok := runs[id]; !ok {
				runs[id] = n.Labels
			}
		}
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list gameday volumes: %w", err)
	}
	for _, v := range vs.Items {
		if id := v.Labels[LabelRun]; id != "" {
			if _, ok := runs[id]; !ok {
				runs[id] = v.Labels
			}
		}
	}
	return runs, nil
}

// runDead decides from a run's labels whether the process that owns it is
// gone.
func runDead(labels map[string]string, host string, now time.Time) bool {
	if labels[LabelHost] == host {
		pid, err := strconv.Atoi(labels[LabelPID])
		if err != nil || pid <= 0 {
			return true
		}
		return !processAlive(pid)
	}
	created, err := time.Parse(time.RFC3339, labels[LabelCreated])
	return err != nil || now.Sub(created) > DefaultMaxAge
}

// processAlive reports whether a process with pid exists (signal 0 probes
// without sending anything; EPERM means it exists but is not ours).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
