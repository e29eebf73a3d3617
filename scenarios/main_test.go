package scenarios_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain lifts `go test`'s default -parallel (GOMAXPROCS: 2 here) for
// the catalogue: its halves mostly wait on injected delays, and
// scenarios.Reserve already bounds them by weight. An explicit -parallel
// is kept.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", "64"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
