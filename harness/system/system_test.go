package system_test

import (
	"testing"

	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewDescribesProcessesAndEdges(t *testing.T) {
	sys := system.New("shop",
		system.Process("inventory", "./bin/shop", system.Args("serve", "inventory"),
			system.ListenEnv("LISTEN_ADDR"), system.Health("/ready")),
		system.Process("orders", "./bin/shop", system.Args("serve", "orders", "--port={port}"),
			system.Env("MODE", "fixed"), system.Public(),
			system.Calls("inventory", "INVENTORY_URL", "http://{addr}")),
		system.External("cache", "tcp://127.0.0.1:6379", system.Protocol(target.TCP)),
	)
	require.NoError(t, sys.Validate())
	orders, ok := sys.Service("orders")
	require.True(t, ok)
	assert.Equal(t, target.KindProcess, orders.Kind())
	assert.Equal(t, []string{"serve", "orders", "--port={port}"}, orders.Process.Args)
	assert.Equal(t, []target.Call{{Service: "inventory", Env: "INVENTORY_URL", Format: "http://{addr}"}}, orders.Calls)
	assert.Equal(t, "http://127.0.0.1:4000", orders.Calls[0].Value("127.0.0.1:4000"))
	assert.True(t, orders.Public)
	assert.Equal(t, "fixed", orders.Env["MODE"])
	inv, _ := sys.Service("inventory")
	assert.Equal(t, "LISTEN_ADDR", inv.Process.ListenEnv)
	assert.Equal(t, "/ready", inv.Health)
	cache, _ := sys.Service("cache")
	assert.Equal(t, target.KindExternal, cache.Kind())
	addr, err := cache.External.Addr()
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:6379", addr)
}

func TestMistakesAreReportedNotPanicked(t *testing.T) {
	sys := system.New("bad",
		system.External("api", "http://127.0.0.1:8080", system.Args("x"), system.ListenEnv("PORT")),
		system.Process("worker", "", system.Health("ready"), system.Calls("nowhere", "NOWHERE_URL", "")),
	)
	err := sys.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"service api: Args: only process services",
		"ListenEnv: only process services",
		`Health: path "ready" must start with /`,
		"no program path",
		"service worker: calls unknown service nowhere",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestCallDefaultsAndDeps(t *testing.T) {
	svc := target.Service{Name: "web", Deps: []string{"api"},
		Calls: []target.Call{{Service: "db", Env: "DB_PORT", Format: "{port}"}, {Service: "api", Env: "API"}}}
	calls := svc.AllCalls()
	require.Len(t, calls, 3)
	assert.Equal(t, "API_ADDR", calls[0].Env)
	assert.Equal(t, "5432", calls[1].Value("127.0.0.1:5432"))
	assert.Equal(t, "127.0.0.1:1", calls[2].Value("127.0.0.1:1"))
	assert.Equal(t, []string{"api", "db"}, svc.Callees())
}
