package docker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
)

// sharedUnsupported names what a shared-layout request (one with
// ListenEnv) may not use: it is created through the Docker client directly
// (see run), which does only what the request's plain fields and modifiers
// say.
func sharedUnsupported(req testcontainers.ContainerRequest) error {
	var errs []error
	if req.FromDockerfile.Context != "" || req.FromDockerfile.ContextArchive != nil {
		errs = append(errs, errors.New("FromDockerfile"))
	}
	if len(req.Files) > 0 {
		errs = append(errs, errors.New("Files"))
	}
	if len(req.LifecycleHooks) > 0 {
		errs = append(errs, errors.New("LifecycleHooks"))
	}
	if req.WaitingFor != nil {
		errs = append(errs, errors.New("WaitingFor (use the service's Health)"))
	}
	if len(req.Mounts) > 0 {
		errs = append(errs, errors.New("Mounts"))
	}
	if len(req.Networks) > 0 {
		errs = append(errs, errors.New("Networks"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("a container given its port (ListenEnv) shares its proxy's network namespace and is created directly; it cannot use: %w", err)
	}
	return nil
}

// startShared starts the service's own container in its sidecar's network
// namespace (NetworkMode "container:<sidecar>"), so it gets no endpoint,
// DNS setup or published port of its own — on a small machine those are
// most of what a container start costs the engine. Its callers still only
// know the sidecar's alias, it reaches its dependencies through theirs, and
// a kill, pause, restart or OOM of the service leaves the sidecar (and the
// namespace) in place.
func (r *Running) startShared(ctx context.Context, s *service) error {
	req := s.ctr.Request.ContainerRequest
	if err := sharedUnsupported(req); err != nil {
		return err
	}
	name := s.spec.Name
	env := maps.Clone(req.Env)
	if env == nil {
		env = map[string]string{}
	}
	maps.Copy(env, r.callEnv(s))
	env[s.ctr.ListenEnv] = strconv.Itoa(UpstreamPort)
	env[AdvertisedAddrEnv] = name + ":" + strconv.Itoa(s.port)
	cfg := &container.Config{Image: req.Image, Entrypoint: req.Entrypoint, Cmd: req.Cmd,
		Labels: maps.Clone(req.Labels), Hostname: req.Hostname, WorkingDir: req.WorkingDir, User: req.User}
	for k, v := range env {
		cfg.Env = append(cfg.Env, k+"="+v)
	}
	if req.ConfigModifier != nil {
		req.ConfigModifier(cfg)
	}
	hc := &container.HostConfig{}
	if req.HostConfigModifier != nil {
		req.HostConfigModifier(hc)
	} else {
		deprecatedHostConfig(req)(hc)
	}
	hc.NetworkMode = container.NetworkMode("container:" + s.proxy)
	hc.PortBindings = nil // the namespace's ports are its sidecar's
	hc.Mounts = append(hc.Mounts, r.volumeMounts(s.ctr.Volumes)...)
	r.limit(name, hc)
	id, err := r.run(ctx, RoleService, name, cfg, hc, nil)
	s.real = id
	return err
}
