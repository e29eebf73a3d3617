package load

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// WriteSummary writes k6's end-of-test console summary: thresholds with
// ✓/✗, then one row per metric (trend rows show avg, min, med, max, p(90),
// p(95)).
func WriteSummary(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	dur := res.End.Sub(res.Start)
	if len(res.Thresholds) > 0 {
		fmt.Fprintf(bw, "  █ THRESHOLDS\n\n")
		byMetric := map[string][]metrics.ThresholdResult{}
		var names []string
		for _, t := range res.Thresholds {
			if _, ok := byMetric[t.Metric]; !ok {
				names = append(names, t.Metric)
			}
			byMetric[t.Metric] = append(byMetric[t.Metric], t)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(bw, "    %s\n", n)
			vt := valueTypeOf(res, n)
			for _, t := range byMetric[n] {
				mark := "✓"
				if !t.Ok {
					mark = "✗"
				}
				agg, _, _ := strings.Cut(t.Source, "<")
				agg = strings.TrimSpace(strings.TrimRight(agg, ">=!"))
				value := formatValue(t.Value, vt)
				if strings.HasPrefix(agg, "count") || strings.HasPrefix(agg, "rate") {
					value = trimFloat(t.Value)
				}
				if t.NoSamples {
					value = "(no samples)"
				}
				fmt.Fprintf(bw, "    %s '%s' %s=%s\n", mark, t.Source, aggName(t.Source), value)
			}
			fmt.Fprintln(bw)
		}
	}
	fmt.Fprintf(bw, "  █ TOTAL RESULTS\n\n")
	rows := summaryRows(res)
	width := 0
	for _, r := range rows {
		width = max(width, len(rowLabel(r))+3)
	}
	for _, r := range rows {
		label := rowLabel(r)
		fmt.Fprintf(bw, "    %s%s: %s\n", label, strings.Repeat(".", width-len(label)), rowValues(r, dur))
	}
	fmt.Fprintf(bw, "\n  running (%s), scenarios: %s", dur.Round(100*time.Millisecond), scenarioList(res))
	if res.Aborted {
		fmt.Fprintf(bw, "\n  aborted: %s", res.AbortReason)
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

func rowLabel(r summaryMetric) string {
	if r.filter != nil {
		return "  " + r.filter.String()
	}
	return r.name
}

func rowValues(r summaryMetric, dur time.Duration) string {
	v := r.values(dur)
	vt := r.metric.ValueType
	switch r.metric.Type {
	case metrics.Counter:
		return fmt.Sprintf("%-10s %s/s", formatValue(v["count"], vt), formatValue(v["rate"], vt))
	case metrics.Gauge:
		return fmt.Sprintf("%-10s min=%s max=%s", formatValue(v["value"], vt), formatValue(v["min"], vt), formatValue(v["max"], vt))
	case metrics.Rate:
		return fmt.Sprintf("%.2f%% %.0f out of %.0f", 100*v["rate"], v["passes"], v["passes"]+v["fails"])
	}
	parts := make([]string, len(TrendStats))
	for i, st := range TrendStats {
		parts[i] = st + "=" + formatValue(v[st], vt)
	}
	return strings.Join(parts, " ")
}

func aggName(src string) string {
	i := strings.IndexAny(src, "<>=!")
	if i < 0 {
		return src
	}
	return strings.TrimSpace(src[:i])
}

func valueTypeOf(res *Result, name string) metrics.ValueType {
	base, _, _ := strings.Cut(name, "{")
	if m := res.Registry.Metric(base); m != nil {
		return m.ValueType
	}
	return metrics.Default
}

func scenarioList(res *Result) string {
	names := make([]string, 0, len(res.Scenarios))
	for n, kind := range res.Scenarios {
		names = append(names, n+" ("+kind+")")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
