package metrics

// ThresholdResult is one threshold expression's verdict.
type ThresholdResult struct {
	Metric      string  `json:"metric"` // as written, with tag filter: http_req_duration{name:checkout}
	Source      string  `json:"source"` // the expression: p(95)<500
	Ok          bool    `json:"ok"`
	Value       float64 `json:"value"` // the aggregated value that was compared
	AbortOnFail bool    `json:"abortOnFail,omitempty"`
	Aborted     bool    `json:"aborted,omitempty"` // this threshold stopped the run
}
