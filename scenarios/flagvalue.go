package scenarios

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/netguard"
)

// flagNumber evaluates a numeric flag through the flag service's OFREP API,
// as the demo's own load generator would: the harness's load obeys the flag.
func flagNumber(t harness.T, env *harness.Env, key string) float64 {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
		env.URL(harness.FlagService)+"/ofrep/v1/evaluate/flags/"+key, strings.NewReader(`{"context":{}}`))
	if err != nil {
		t.Fatalf("flag %s: %v", key, err)
	}
	req.Header.Set("Content-Type", "application/json")
	var res struct {
		Value any `json:"value"`
	}
	if err := doJSON(req, &res); err != nil {
		t.Fatalf("flag %s: %v", key, err)
	}
	switch v := res.Value.(type) {
	case float64:
		return v
	case bool:
		if v {
			return 1
		}
		return 0
	}
	t.Fatalf("flag %s: value %v is not a number", key, res.Value)
	return 0
}

func doJSON(req *http.Request, v any) error {
	resp, err := netguard.Client(30 * time.Second).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	return decode(resp, v)
}
