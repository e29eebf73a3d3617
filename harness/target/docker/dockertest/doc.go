// Package dockertest is a tiny system under test for the docker target's own
// tests: "web" (public) calls "api" over HTTP. The gameday binary runs it
// when GAMEDAY_SYSTEM=dockertest (every service's Env sets it), so the
// docker target can be tested end to end without the demo shop.
//
// api also has /alloc?mib=N, which holds N more MiB until the process dies:
// a way to get a container OOM-killed on purpose.
//
// It also makes the images tests need without pulling any (StaticContext,
// Redis), for the docker target's tests and the examples alike.
package dockertest
