package proxy_test

import (
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Both the in-process proxy and the sidecar's remote control are what the
// fault API drives.
var (
	_ target.TCPFaultProxy = (*proxy.Proxy)(nil)
	_ target.TCPFaultProxy = (*proxy.Remote)(nil)
)
