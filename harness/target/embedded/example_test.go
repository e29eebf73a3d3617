package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/embedded"
)

// client keeps no idle connections, so nothing outlives the example.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func serve(h http.HandlerFunc) func(context.Context, net.Listener, target.Env) error {
	return func(ctx context.Context, ln net.Listener, env target.Env) error {
		srv := &http.Server{Handler: h}
		defer context.AfterFunc(ctx, func() { srv.Close() })()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// Two services: web calls api through the address in API_ADDR, which is
// the web → api edge of api's fault proxy.
func Example() {
	var apiAddr string
	sys := target.System{Name: "tiny", Services: []target.Service{
		{Name: "api", Run: serve(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "data") })},
		{Name: "web", Deps: []string{"api"}, Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
			apiAddr = env.Get(target.AddrEnv("api"), "")
			return serve(func(w http.ResponseWriter, r *http.Request) {
				resp, err := client.Get("http://" + apiAddr + "/")
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadGateway)
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				fmt.Fprintf(w, "page with %s", b)
			})(ctx, ln, env)
		}},
	}}
	ctx := context.Background()
	run, err := embedded.New().Start(ctx, sys)
	if err != nil {
		panic(err)
	}
	defer run.Stop(ctx)

	web, _ := run.Addr("web")
	resp, err := client.Get("http://" + web + "/")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	edges, _ := run.(target.Proxied).Edges(ctx)
	for _, e := range edges {
		fmt.Println(e.Caller, "->", e.Callee, e.Requests)
	}
	// Output:
	// page with data
	// client -> web 1
	// web -> api 1
}
