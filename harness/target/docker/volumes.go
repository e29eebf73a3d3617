package docker

import (
	"context"
	"errors"
	"fmt"

	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target"
)

// LabelVolume is the name a run's volume has in its system (the Docker
// volume is named after the run and it).
const LabelVolume = "gameday.volume"

// volumeName is the Docker name of the run's volume name.
func (r *Running) volumeName(name string) string { return r.runID + "-" + name }

// createVolumes creates, empty and labelled with the run, every volume a
// container of the system mounts, before any container starts.
func (r *Running) createVolumes(ctx context.Context) error {
	made := map[string]bool{}
	for _, name := range r.order {
		s := r.svcs[name]
		if s.ctr == nil {
			continue
		}
		for _, v := range s.ctr.Volumes {
			if made[v.Name] {
				continue
			}
			made[v.Name] = true
			cctx, cancel := engineCtx(ctx)
			_, err := r.cli.VolumeCreate(cctx, client.VolumeCreateOptions{
				Name: r.volumeName(v.Name), Labels: with(r.labels, LabelVolume, v.Name)})
			cancel()
			if err != nil {
				return fmt.Errorf("create volume %s: %w", v.Name, err)
			}
		}
	}
	return nil
}

// volumeMounts are the mounts of the run's volumes vs.
func (r *Running) volumeMounts(vs []target.Volume) []mount.Mount {
	out := make([]mount.Mount, 0, len(vs))
	for _, v := range vs {
		out = append(out, mount.Mount{Type: mount.TypeVolume, Source: r.volumeName(v.Name), Target: v.Path, ReadOnly: v.ReadOnly})
	}
	return out
}

// removeVolumes removes the volumes labelled with runID; called once the
// run's containers are gone (a volume in use cannot be removed).
func removeVolumes(ctx context.Context, cli *client.Client, runID string) error {
	f := client.Filters{}.Add("label", LabelRun+"="+runID)
	list, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return fmt.Errorf("list volumes of %s: %w", runID, err)
	}
	var errs []error
	for _, v := range list.Items {
		if _, err := cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("remove volume %s: %w", v.Name, err))
		}
	}
	return errors.Join(errs...)
}
