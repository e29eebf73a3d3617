package docker_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Start a system in containers, call it through its sidecar, crash a
// service and watch the restart policy bring it back.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := docker.Available(ctx); errors.Is(err, docker.ErrNoEngine) {
		fmt.Println("no docker: use the embedded target")
		return
	}
	run, err := docker.New(docker.WithRestartPolicy("on-failure")).StartSystem(ctx, dockertest.System())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer run.Stop(ctx)

	web, _ := run.Addr("web") // 127.0.0.1:PORT of web's sidecar
	resp, err := http.Get("http://" + web + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	tl := timeline.New(time.Now())
	restarted := make(chan struct{})
	go run.Watch(ctx, func(ev docker.Event) {
		tl.Add(ev.Kind, ev.Service, ev.Name(), ev.Attrs())
		if ev.Kind == timeline.TargetRestart {
			close(restarted)
		}
	})
	run.Kill(ctx, "api")
	<-restarted
	for _, ev := range tl.Events() {
		fmt.Println(ev.Kind, ev.Target, ev.Name)
	}
	// Output:
	// web>api
	// target.exit api exited with code 137
	// target.restart api restarted by its restart policy
}
