package entrypoint

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// engine is the few Docker API calls the reaper makes, over the engine's
// unix socket — so the binaries that carry the reaper stay free of the
// full Docker client.
type engine struct {
	hc *http.Client
}

func newEngine(socket string) *engine {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "unix", socket)
	}}
	return &engine{hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

type engineContainer struct {
	ID     string            `json:"Id"`
	State  string            `json:"State"`
	Labels map[string]string `json:"Labels"`
}

type engineNetwork struct {
	ID   string `json:"Id"`
	Name string `json:"Name"`
}

func labelFilter(label string) string {
	b, _ := json.Marshal(map[string][]string{"label": {label}})
	return url.QueryEscape(string(b))
}

func (e *engine) containers(ctx context.Context, label string) ([]engineContainer, error) {
	var out []engineContainer
	return out, e.do(ctx, http.MethodGet, "/containers/json?all=1&filters="+labelFilter(label), &out)
}

func (e *engine) networks(ctx context.Context, label string) ([]engineNetwork, error) {
	var out []engineNetwork
	return out, e.do(ctx, http.MethodGet, "/networks?filters="+labelFilter(label), &out)
}

// engineVolume is one volume in the engine's list of volumes.
type engineVolume struct {
	Name string `json:"Name"`
}

func (e *engine) volumes(ctx context.Context, label string) ([]engineVolume, error) {
	var out struct {
		Volumes []engineVolume `json:"Volumes"`
	}
	err := e.do(ctx, http.MethodGet, "/volumes?filters="+labelFilter(label), &out)
	return out.Volumes, err
}

func (e *engine) removeVolume(ctx context.Context, name string) error {
	return e.do(ctx, http.MethodDelete, "/volumes/"+url.PathEscape(name)+"?force=1", nil)
}

func (e *engine) unpause(ctx context.Context, id string) error {
	return e.do(ctx, http.MethodPost, "/containers/"+id+"/unpause", nil)
}

func (e *engine) removeContainer(ctx context.Context, id string) error {
	return e.do(ctx, http.MethodDelete, "/containers/"+id+"?force=1&v=1", nil)
}

func (e *engine) removeNetwork(ctx context.Context, id string) error {
	return e.do(ctx, http.MethodDelete, "/networks/"+id, nil)
}

// errGone is returned for a 404: the object is already gone.
var errGone = fmt.Errorf("not found")

func (e *engine) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://docker"+path, nil)
	if err != nil {
		return err
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return errGone
	}
	if resp.StatusCode == http.StatusConflict && method == http.MethodDelete {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		if strings.Contains(string(msg), "already in progress") {
			return errGone // another sweeper is removing it
		}
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
