package system_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
)

const composeYAML = `version: "3.8"
services:
  web:
    build: ./app
    command: web --verbose
    ports: ["8080:8080"]
    environment:
      API_URL: http://api:9000/v1
      OTHER: http://elsewhere:9000
  api:
    image: team/app:1
    command: ["api"]
    expose: ["9000"]
    environment:
      - REDIS_ADDR=cache:6379
    healthcheck:
      test: ["CMD", "/app", "probe"]
      interval: 1s
  cache:
    image: team/redis:7
    expose: ["6379"]
    labels:
      gameday.protocol: tcp
`

// A compose file becomes a system: services named as in the file, edges
// from their environment, protocols from labels, builds from contexts.
// Needs Debian's docker-compose (the tool that normalizes the file).
func TestComposeReadsServicesAndEdges(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "app"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app", "Dockerfile"), []byte("FROM scratch\n"), 0o644))
	file := filepath.Join(dir, "compose.yaml")
	require.NoError(t, os.WriteFile(file, []byte(composeYAML), 0o644))

	sys := system.Compose("team", file, system.With("api", system.Protocol(target.HTTP)))
	require.NoError(t, sys.Validate())
	var names []string
	for _, s := range sys.Services {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"api", "cache", "web"}, names)

	web, _ := sys.Service("web")
	assert.True(t, web.Public, "published ports make it public")
	assert.Equal(t, []target.Call{{Service: "api", Env: "API_URL", Format: "http://{addr}/v1"}}, web.Calls)
	assert.Equal(t, filepath.Join(dir, "app"), web.Container.Request.FromDockerfile.Context)
	assert.Equal(t, []string{"web", "--verbose"}, web.Container.Request.Cmd)
	assert.Equal(t, "8080/tcp", web.Container.CallerPort())

	api, _ := sys.Service("api")
	assert.Equal(t, []target.Call{{Service: "cache", Env: "REDIS_ADDR", Format: "{addr}"}}, api.Calls)
	assert.NotNil(t, api.Container.Request.WaitingFor, "its healthcheck is its wait strategy")
	assert.Equal(t, target.HTTP, api.Protocol)

	cache, _ := sys.Service("cache")
	assert.Equal(t, target.TCP, cache.Protocol, "from the gameday.protocol label")
}

func TestComposeReportsProblemsInErr(t *testing.T) {
	sys := system.Compose("team", filepath.Join(t.TempDir(), "missing.yaml"))
	require.Error(t, sys.Validate())

	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`services:
  a:
    image: x
    volumes: ["ext:/ext", {type: tmpfs, target: /tmp}]
volumes:
  ext: {external: true}
`), 0o644))
	sys = system.Compose("team", file, system.With("nope", system.Public()))
	err := sys.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "volume ext at line")
	assert.Contains(t, err.Error(), "external volumes are not run")
	assert.Contains(t, err.Error(), `type "tmpfs" is not run`)
	assert.Contains(t, err.Error(), `With("nope")`)
}

// Named volumes become the run's own (Volume), bind mounts and anonymous
// volumes mounts of the container, in both of the file's syntaxes.
func TestComposeVolumes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`services:
  db:
    image: x
    volumes:
      - data:/var/lib/data
      - ./conf:/conf:ro
      - /scratch
      - {type: volume, source: logs, target: /logs, read_only: true}
  reader:
    image: x
    volumes: ["data:/data:ro"]
volumes:
  data: {}
  logs:
`), 0o644))
	sys := system.Compose("team", file)
	require.NoError(t, sys.Validate())
	db, _ := sys.Service("db")
	assert.Equal(t, []target.Volume{{Name: "data", Path: "/var/lib/data"}, {Name: "logs", Path: "/logs", ReadOnly: true}}, db.Container.Volumes)
	hc := &container.HostConfig{}
	db.Container.Request.HostConfigModifier(hc)
	assert.Equal(t, []mount.Mount{
		{Type: mount.TypeBind, Source: filepath.Join(dir, "conf"), Target: "/conf", ReadOnly: true},
		{Type: mount.TypeVolume, Target: "/scratch"},
	}, hc.Mounts)
	reader, _ := sys.Service("reader")
	assert.Equal(t, []target.Volume{{Name: "data", Path: "/data", ReadOnly: true}}, reader.Container.Volumes)
}

// depends_on, as a list or a map of conditions, orders the starts.
func TestComposeDependsOn(t *testing.T) {
	file := filepath.Join(t.TempDir(), "compose.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`services:
  app:
    image: x
    depends_on: [db, migrate]
  migrate:
    image: x
    depends_on:
      db: {condition: service_healthy}
  db:
    image: x
`), 0o644))
	sys := system.Compose("team", file)
	require.NoError(t, sys.Validate())
	app, _ := sys.Service("app")
	assert.Equal(t, []string{"db", "migrate"}, app.After)
	migrate, _ := sys.Service("migrate")
	assert.Equal(t, []string{"db"}, migrate.After)
	db, _ := sys.Service("db")
	assert.Empty(t, db.After)
}
