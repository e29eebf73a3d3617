package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/sweeplog"
	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// CleanConfig says what Clean removes besides containers and networks.
type CleanConfig struct {
	// KeepImage is an image tag to keep; by default the newest
	// gameday-local image is kept, so the next start needs no build.
	KeepImage string
	// AllImages removes every gameday-local image, the newest too.
	AllImages bool
	// Out receives one line per removed object. Default: discarded.
	Out io.Writer
}

// Clean removes everything labelled gameday=1 — containers and networks of
// every run, live or dead — the gameday-local images but one (see
// CleanConfig) and the cached binaries but the newest. It is what
// `gameday clean` runs.
func Clean(ctx context.Context, cfg CleanConfig) error {
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	runs, err := listRuns(ctx, cli)
	if err != nil {
		return err
	}
	var errs []error
	for id := range runs {
		if err := removeRun(ctx, cli, id); err != nil {
			errs = append(errs, err)
			continue
		}
		sweeplog.Logf(cfg.Out, "clean: removed run %s (containers, network and volumes)", id)
	}
	// Unlabelled-run leftovers: anything with gameday=1 but no run label.
	f := client.Filters{}.Add("label", LabelApp+"=1")
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err == nil {
		for _, c := range cs.Items {
			if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true}); err == nil {
				sweeplog.Logf(cfg.Out, "clean: removed container %s", c.ID[:12])
			}
		}
	}
	errs = append(errs, removeImages(ctx, cli, cfg))
	keep := 1
	if cfg.AllImages {
		keep = 0
	}
	pruned, err := binary.Prune("", keep)
	for _, p := range pruned {
		fmt.Fprintf(cfg.Out, "removed cached binary %s\n", p)
	}
	return errors.Join(append(errs, err)...)
}

// removeImages removes gameday-local images but the one to keep.
func removeImages(ctx context.Context, cli *client.Client, cfg CleanConfig) error {
	imgs, err := cli.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("reference", ImageRepo)})
	if err != nil {
		return fmt.Errorf("list images: %w", err)
	}
	items := imgs.Items
	sort.Slice(items, func(i, j int) bool { return items[i].Created > items[j].Created })
	keep := cfg.KeepImage
	if keep == "" && !cfg.AllImages && len(items) > 0 && len(items[0].RepoTags) > 0 {
		keep = items[0].RepoTags[0]
	}
	var errs []error
	for _, img := range items {
		kept := false
		for _, t := range img.RepoTags {
			kept = kept || (t == keep && !cfg.AllImages)
		}
		if kept {
			fmt.Fprintf(cfg.Out, "kept image %s\n", keep)
			continue
		}
		if _, err := cli.ImageRemove(ctx, img.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("remove image %s: %w", img.ID, err))
			continue
		}
		fmt.Fprintf(cfg.Out, "removed image %s\n", strings.Join(img.RepoTags, ","))
	}
	return errors.Join(errs...)
}
