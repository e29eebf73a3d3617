package report

import (
	"math"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// chartData is one plot: series of [x seconds since run start, y] points.
type chartData struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Unit   string       `json:"unit"`
	Series []seriesData `json:"series"`
}

type seriesData struct {
	Label string        `json:"label"`
	Color string        `json:"color"`
	Data  [][2]*float64 `json:"data"` // y nil: no samples that second (a gap)
}

// shade is a fault or flag window, in seconds since the run's start.
type shade struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Kind  string  `json:"kind"` // "fault", "flag" or "phase"
	Label string  `json:"label"`
}

// mark is a point event (kill, OOM, restart) drawn as a vertical line.
type mark struct {
	At    float64 `json:"at"`
	Label string  `json:"label"`
}

type statFunc func(metrics.Aggregate) float64

func quantile(q float64) statFunc { return func(a metrics.Aggregate) float64 { return a.Quantile(q) } }

// line is one series of a chart: a per-second statistic.
type line struct {
	label, color string
	stat         statFunc
}

// plotSpec says which per-second statistics of which metric make a chart.
type plotSpec struct {
	id, title, unit, metric string
	lines                   []line
}

var (
	rateStat  statFunc = func(a metrics.Aggregate) float64 { return a.Rate() * 100 }
	sumStat   statFunc = func(a metrics.Aggregate) float64 { return a.Sum }
	lastStat  statFunc = func(a metrics.Aggregate) float64 { return a.Last }
	maxStat   statFunc = func(a metrics.Aggregate) float64 { return a.Max }
	errorsRed          = "#d62728"
)

// plots are the report's charts; a chart whose metric has no samples is left out.
var plots = []plotSpec{
	{"latency", "Latency (http_req_duration)", "ms", metrics.HTTPReqDuration,
		[]line{{"p50", "#1f77b4", quantile(0.50)}, {"p95", "#ff7f0e", quantile(0.95)}, {"p99", errorsRed, quantile(0.99)}}},
	{"errors", "Error rate (http_req_failed)", "%", metrics.HTTPReqFailed, []line{{"failed", errorsRed, rateStat}}},
	{"throughput", "Throughput (http_reqs)", "req/s", metrics.HTTPReqs, []line{{"requests", "#2ca02c", sumStat}}},
	{"vus", "Virtual users (vus)", "VUs", metrics.VUs, []line{{"vus", "#9467bd", lastStat}}},
	{"lcp", "Browser LCP (browser_web_vital_lcp)", "ms", metrics.BrowserLCP,
		[]line{{"p75", "#17becf", quantile(0.75)}, {"max", "#8c564b", maxStat}}},
}

// charts computes every plot with data for a run.
func charts(prefix string, run *harness.Run) []chartData {
	var out []chartData
	offset := run.Metrics.Start().Sub(run.Start).Seconds()
	for _, p := range plots {
		m := run.Metrics.Metric(p.metric)
		if m == nil || m.Aggregate(nil).Count == 0 {
			continue
		}
		secs := m.Seconds(nil)
		// pad to the run's end so every chart spans the same seconds
		for n := int(run.End.Sub(run.Metrics.Start()) / time.Second); len(secs) < n; {
			secs = append(secs, metrics.Aggregate{Type: m.Type})
		}
		c := chartData{ID: prefix + "-" + p.id, Title: p.title, Unit: p.unit}
		for _, s := range p.lines {
			sd := seriesData{Label: s.label, Color: s.color, Data: make([][2]*float64, 0, len(secs))}
			for i, a := range secs {
				x := round3(offset + float64(i) + 0.5) // the second's middle
				var y *float64
				if a.Count > 0 {
					v := round3(s.stat(a))
					y = &v
				}
				sd.Data = append(sd.Data, [2]*float64{&x, y})
			}
			c.Series = append(c.Series, sd)
		}
		out = append(out, c)
	}
	return out
}

// shades returns the fault, flag and phase windows and the point events.
func shades(run *harness.Run) ([]shade, []mark) {
	if run.Timeline == nil {
		return nil, nil
	}
	at := func(t time.Time) float64 { return round3(t.Sub(run.Start).Seconds()) }
	var ws []shade
	for _, w := range run.Timeline.Windows() {
		kind := map[string]string{timeline.FaultInject: "fault", timeline.FlagSet: "flag", timeline.Phase: "phase",
			slo.KindBreach: "slo"}[w.Kind]
		if kind == "" {
			continue
		}
		end := w.End
		if end.After(run.End) { // still open when the run ended
			end = run.End
		}
		ws = append(ws, shade{Start: at(w.Start), End: at(end), Kind: kind, Label: w.Target + ": " + w.Name})
	}
	var ms []mark
	for _, ev := range run.Timeline.Events() {
		switch ev.Kind {
		case timeline.TargetKill, timeline.TargetOOM, timeline.TargetRestart,
			harness.KindRolloutStep, harness.KindRolloutRevert, harness.KindFaultHalt:
			ms = append(ms, mark{At: at(ev.Time), Label: ev.Kind + " " + ev.Target})
		}
	}
	return ws, ms
}

func round3(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*1000) / 1000
}
