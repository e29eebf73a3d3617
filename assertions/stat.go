package assertions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// statOf reads a k6 summary statistic from an aggregate: "avg", "min",
// "med", "max", "count", "rate", "value" (a gauge's last), or "p(N)".
func statOf(a metrics.Aggregate, stat string) (float64, error) {
	switch stat {
	case "avg":
		return a.Avg(), nil
	case "min":
		return a.Min, nil
	case "max":
		return a.Max, nil
	case "med":
		return a.Quantile(0.5), nil
	case "count":
		return float64(a.Count), nil
	case "rate":
		return a.Rate(), nil
	case "value":
		return a.Last, nil
	}
	if strings.HasPrefix(stat, "p(") && strings.HasSuffix(stat, ")") {
		p, err := strconv.ParseFloat(stat[2:len(stat)-1], 64)
		if err != nil || p < 0 || p > 100 {
			return 0, fmt.Errorf("statistic %q: percentile must be a number in [0, 100]", stat)
		}
		return a.Quantile(p / 100), nil
	}
	return 0, fmt.Errorf("statistic %q: want avg, min, med, max, count, rate, value or p(N)", stat)
}

// metricOf returns the named metric of a run's registry.
func metricOf(reg *metrics.Registry, name string) (*metrics.Metric, error) {
	if reg == nil {
		return nil, fmt.Errorf("run has no metrics")
	}
	m := reg.Metric(name)
	if m == nil {
		return nil, fmt.Errorf("%w %q", metrics.ErrUnknownMetric, name)
	}
	return m, nil
}

// subName renders a metric with its filter: http_req_duration{name:cart}.
func subName(metric string, filter metrics.Tags) string {
	if len(filter) == 0 {
		return metric
	}
	return metric + filter.String()
}

// unitOf is "ms" for time trends and "" otherwise, for messages.
func unitOf(reg *metrics.Registry, metric string) string {
	if m := reg.Metric(metric); m != nil && m.ValueType == metrics.Time {
		return "ms"
	}
	return ""
}
