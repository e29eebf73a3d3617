// Package process is an example of a team's own system under gameday,
// started as process services: Redis (Debian's redis-server) and a small
// prices app (./prices) that reads from it. Its tests show the app's
// unfixed settings breaking its SLO when Redis gets slow, and the fixed
// settings (a Redis timeout and the last known price as fallback)
// holding it. Run them with `go test ./examples/process/`.
package process
