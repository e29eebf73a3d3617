package load

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// TrendStats are the trend columns of the summary, as k6's defaults.
var TrendStats = []string{"avg", "min", "med", "max", "p(90)", "p(95)"}

// summaryMetric is one row of the summary: a metric or a submetric.
type summaryMetric struct {
	name   string // with the tag filter for a submetric
	metric *metrics.Metric
	filter metrics.Tags
	agg    metrics.Aggregate
}

// values are k6's handleSummary values of the row.
func (s summaryMetric) values(dur time.Duration) map[string]float64 {
	a := s.agg
	switch s.metric.Type {
	case metrics.Counter:
		rate := 0.0
		if dur > 0 {
			rate = a.Sum / dur.Seconds()
		}
		return map[string]float64{"count": a.Sum, "rate": rate}
	case metrics.Gauge:
		return map[string]float64{"value": a.Last, "min": a.Min, "max": a.Max}
	case metrics.Rate:
		return map[string]float64{"rate": a.Rate(), "passes": float64(a.Trues), "fails": float64(a.Count - a.Trues)}
	}
	v := map[string]float64{"avg": a.Avg(), "min": a.Min, "max": a.Max, "med": a.Quantile(0.5)}
	for _, st := range TrendStats {
		var p float64
		if _, err := fmt.Sscanf(st, "p(%g)", &p); err == nil {
			v[st] = a.Quantile(p / 100)
		}
	}
	return v
}

// summaryRows lists every metric with samples, each followed by its
// submetrics: those thresholds filter on, and http_req_duration's
// {expected_response:true} as k6 adds it.
func summaryRows(res *Result) []summaryMetric {
	subs := map[string][]string{}
	for _, t := range res.Thresholds {
		if i := strings.IndexByte(t.Metric, '{'); i > 0 {
			subs[t.Metric[:i]] = appendUnique(subs[t.Metric[:i]], t.Metric)
		}
	}
	subs[metrics.HTTPReqDuration] = appendUnique(subs[metrics.HTTPReqDuration], "http_req_duration{expected_response:true}")
	ms := res.Registry.Metrics()
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	var rows []summaryMetric
	for _, m := range ms {
		agg := m.Aggregate(nil)
		if agg.Count == 0 && !hasThreshold(res, m.Name) {
			continue
		}
		rows = append(rows, summaryMetric{name: m.Name, metric: m, agg: agg})
		names := subs[m.Name]
		sort.Strings(names)
		for _, sub := range names {
			filter := parseFilter(sub)
			sa := m.Aggregate(filter)
			if sa.Count == 0 && !hasThreshold(res, sub) {
				continue
			}
			rows = append(rows, summaryMetric{name: sub, metric: m, filter: filter, agg: sa})
		}
	}
	return rows
}

func hasThreshold(res *Result, metric string) bool {
	for _, t := range res.Thresholds {
		if t.Metric == metric {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// parseFilter reads "name{a:b,c:d}" (already validated by the thresholds).
func parseFilter(name string) metrics.Tags {
	i := strings.IndexByte(name, '{')
	if i < 0 || !strings.HasSuffix(name, "}") {
		return nil
	}
	t := metrics.Tags{}
	for _, kv := range strings.Split(name[i+1:len(name)-1], ",") {
		k, v, _ := strings.Cut(kv, ":")
		t[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return t
}

// formatValue renders v in the metric's unit, like k6's summary.
func formatValue(v float64, vt metrics.ValueType) string {
	switch vt {
	case metrics.Time:
		return formatDuration(v)
	case metrics.Data:
		return formatBytes(v)
	}
	return trimFloat(v)
}

func formatDuration(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	switch {
	case d == 0:
		return "0s"
	case d < time.Millisecond:
		return trimFloat(ms*1000) + "µs"
	case d < time.Second:
		return trimFloat(ms) + "ms"
	case d < time.Minute:
		return trimFloat(ms/1000) + "s"
	}
	return d.Round(time.Millisecond).String()
}

func formatBytes(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	i := 0
	for b >= 1000 && i < len(units)-1 {
		b /= 1000
		i++
	}
	return trimFloat(b) + " " + units[i]
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	s := fmt.Sprintf("%.2f", v)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}
