// Package process is an example of a team's own system under gameday,
// three process services: Redis (Debian's redis-server) and the team's
// program ./shop run twice, as prices (reads Redis) and as storefront
// (calls prices). Its tests show the unfixed prices settings breaking the
// storefront's SLO when Redis gets slow, and the fixed settings (a Redis
// timeout and the last known price as fallback) holding it. Run them with
// `go test ./examples/process/`.
package process
