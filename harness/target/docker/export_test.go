package docker

import "context"

// SetCallerIP makes the run take svc to be at ip and tells the sidecars,
// as if svc had come back at another address without the run knowing.
func (r *Running) SetCallerIP(ctx context.Context, svc, ip string) error {
	r.ipMu.Lock()
	r.svcs[svc].ip = ip
	r.ipMu.Unlock()
	return r.registerCallers(ctx)
}
