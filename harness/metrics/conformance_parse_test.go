package metrics

import (
	"strings"
	"testing"
)

// The conformance tables are written from k6's documentation: the
// "Thresholds" page (syntax, operators, tag filters, the object form) and
// the metric type pages (which aggregation each type allows).

// expressionCases: valid expressions and the canonical form they parse to.
var expressionCases = []struct{ src, canonical string }{
	{"p(95)<500", "p(95)<500"},
	{"p(95) < 500", "p(95)<500"},
	{"  p(99.9)   <=   1500  ", "p(99.9)<=1500"},
	{"p(99.99)<1000", "p(99.99)<1000"},
	{"p(0)>=0", "p(0)>=0"},
	{"p(100)<3000", "p(100)<3000"},
	{"p(50)<200", "p(50)<200"},
	{"p( 90 )<300", "p(90)<300"},
	{"p(.5)<1", "p(0.5)<1"},
	{"avg<200", "avg<200"},
	{"avg < 200", "avg<200"},
	{"min>0", "min>0"},
	{"max<3000", "max<3000"},
	{"med<150", "med<150"},
	{"rate<0.01", "rate<0.01"},
	{"rate>0.95", "rate>0.95"},
	{"rate==0", "rate==0"},
	{"rate===0", "rate===0"},
	{"rate!=1", "rate!=1"},
	{"count>100", "count>100"},
	{"count>=500", "count>=500"},
	{"count<10", "count<10"},
	{"value<100", "value<100"},
	{"value<=100", "value<=100"},
	{"\tavg\t<\t1.5\t", "avg<1.5"},
	{"avg<1e3", "avg<1000"},
	{"avg<1.5E-3", "avg<0.0015"},
	{"avg>-1", "avg>-1"},
	{"avg<+2", "avg<2"},
	{"avg<0.000001", "avg<1e-06"},
	{"count<=.5", "count<=0.5"},
	{"rate<5.", "rate<5"},
}

// badExpressionCases: invalid expressions and a word of the error.
var badExpressionCases = []struct{ src, wantErr string }{
	{"", "empty"},
	{"   ", "empty"},
	{"p(95)<<500", `unknown operator "<<"`},
	{"p(95)=500", `unknown operator "="`},
	{"p(95)=>500", `unknown operator "=>"`},
	{"avg=<500", `unknown operator "=<"`},
	{"avg<>500", `unknown operator "<>"`},
	{"avg!==500", `unknown operator "!=="`},
	{"avg!500", `unknown operator "!"`},
	{"avg 500", "want a comparison operator"},
	{"avg", "no comparison operator"},
	{"avg<", "missing number"},
	{"avg<   ", "missing number"},
	{"<500", "want an aggregation"},
	{"500<avg", "want an aggregation"},
	{"foo<1", `unknown aggregation "foo"`},
	{"AVG<1", `unknown aggregation "AVG"`},
	{"mean<1", `unknown aggregation "mean"`},
	{"p95<500", "p needs a percentile"},
	{"p<500", "p needs a percentile"},
	{"p (95)<500", "p needs a percentile"},
	{"p(95<500", "no closing parenthesis"},
	{"p()<500", "missing number"},
	{"p(abc)<500", "not a number"},
	{"p(-1)<500", "between 0 and 100"},
	{"p(100.1)<500", "between 0 and 100"},
	{"p(1e3)<500", "between 0 and 100"},
	{"avg<500ms", `"500ms" is not a number`},
	{"avg<1s", "not a number"},
	{"avg<0x10", "not a number"},
	{"avg<1_000", "not a number"},
	{"avg<Infinity", "not a number"},
	{"avg<NaN", "not a number"},
	{"avg<1e", "not a number"},
	{"avg<1e999", "not a finite number"},
	{"avg<.", "not a number"},
	{"avg<-", "not a number"},
	{"avg<1 2", `unexpected "2"`},
	{"avg<1 && max<2", `unexpected "&& max<2"`},
	{"avg(1)<2", "want a comparison operator"},
	{"1+avg<2", "want an aggregation"},
}

func TestConformanceExpressions(t *testing.T) {
	for _, c := range expressionCases {
		e, err := ParseExpression(c.src)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if got := e.String(); got != c.canonical {
			t.Errorf("%q: canonical %q, want %q", c.src, got, c.canonical)
		}
	}
	for _, c := range badExpressionCases {
		_, err := ParseExpression(c.src)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%q: error %v, want one containing %q", c.src, err, c.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "expression ") {
			t.Errorf("%q: the error must quote the expression: %v", c.src, err)
		}
	}
}

// selectorCases: metric selectors; wantErr empty means valid, with the
// canonical form in canonical.
var selectorCases = []struct{ src, canonical, wantErr string }{
	{"http_req_duration", "http_req_duration", ""},
	{" http_req_duration ", "http_req_duration", ""},
	{"http_req_duration{name:checkout}", "http_req_duration{name:checkout}", ""},
	{"http_req_duration{type:API}", "http_req_duration{type:API}", ""},
	{"http_req_duration{ name : checkout }", "http_req_duration{name:checkout}", ""},
	{"http_req_duration{name:products,user: admin}", "http_req_duration{name:products,user:admin}", ""},
	{"http_req_duration{status:200,method:GET}", "http_req_duration{method:GET,status:200}", ""},
	{"iteration_duration{group:::setup}", "iteration_duration{group:::setup}", ""},
	{"http_req_duration{url:http://127.0.0.1:8080/api}", "http_req_duration{url:http://127.0.0.1:8080/api}", ""},
	{"http_req_duration{expected_response:true}", "http_req_duration{expected_response:true}", ""},
	{"_private_metric", "_private_metric", ""},
	{"http_req_duration{name:a b}", "http_req_duration{name:a b}", ""},
	{"", "", "must be 1 to 128"},
	{"{name:a}", "", "must be 1 to 128"},
	{"http req duration", "", "only ASCII letters"},
	{"1metric", "", "must start with a letter"},
	{"métrique", "", "only ASCII letters"},
	{strings.Repeat("a", 129), "", "must be 1 to 128"},
	{"http_req_duration{name:checkout", "", "no closing }"},
	{"http_req_duration}", "", "only ASCII letters"},
	{"http_req_duration{}", "", "empty tag filter"},
	{"http_req_duration{ }", "", "empty tag filter"},
	{"http_req_duration{name}", "", "is not key:value"},
	{"http_req_duration{:checkout}", "", "has no key"},
	{"http_req_duration{name:}", "", "has no value"},
	{"http_req_duration{name:a,}", "", "is not key:value"},
	{"http_req_duration{name:a,name:b}", "", "appears twice"},
	{"http_req_duration{name:a}{method:GET}", "", "brace"},
	{"http_req_duration{name:{a}}", "", "brace"},
	{"http_req_duration{name:a}x", "", "no closing }"},
}

func TestConformanceSelectors(t *testing.T) {
	for _, c := range selectorCases {
		s, err := ParseSelector(c.src)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q: %v", c.src, err)
		case c.wantErr == "" && s.String() != c.canonical:
			t.Errorf("%q: canonical %q, want %q", c.src, s.String(), c.canonical)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q: error %v, want one containing %q", c.src, err, c.wantErr)
		}
	}
}

// typeCases: the aggregations each metric type allows, as k6 documents
// them (counter: count, rate; gauge: value; rate: rate; trend: avg, min,
// max, med, p(N)).
var typeCases = []struct {
	metric, expr string
	ok           bool
}{
	{HTTPReqs, "count>0", true},
	{HTTPReqs, "rate>10", true},
	{HTTPReqs, "value>1", false},
	{HTTPReqs, "avg<1", false},
	{HTTPReqs, "p(95)<1", false},
	{VUs, "value<100", true},
	{VUs, "count<1", false},
	{VUs, "rate<1", false},
	{VUs, "max<100", false},
	{HTTPReqFailed, "rate<0.01", true},
	{HTTPReqFailed, "count<1", false},
	{HTTPReqFailed, "p(95)<1", false},
	{HTTPReqFailed, "value<1", false},
	{HTTPReqDuration, "avg<1", true},
	{HTTPReqDuration, "min<1", true},
	{HTTPReqDuration, "max<1", true},
	{HTTPReqDuration, "med<1", true},
	{HTTPReqDuration, "p(99.9)<1", true},
	{HTTPReqDuration, "count>1", false},
	{HTTPReqDuration, "rate<1", false},
	{HTTPReqDuration, "value<1", false},
	{DataSent, "count>0", true},
	{BrowserCLS, "p(75)<0.1", true},
}

func TestConformanceAggregationsByType(t *testing.T) {
	reg, _ := newTestRegistry(t)
	for _, c := range typeCases {
		_, err := ParseThresholds(map[string][]string{c.metric: {c.expr}}, reg)
		if c.ok && err != nil {
			t.Errorf("%s %s: %v", c.metric, c.expr, err)
		}
		if !c.ok && (err == nil || !strings.Contains(err.Error(), "is not an aggregation of a")) {
			t.Errorf("%s %s: error %v, want a type mismatch", c.metric, c.expr, err)
		}
	}
}

func TestParseReportsEveryProblemAtOnce(t *testing.T) {
	reg, _ := newTestRegistry(t)
	_, err := ParseThresholdConfigs(map[string][]ThresholdConfig{
		HTTPReqDuration:               {{Threshold: "p(95)<<500"}, {Threshold: "p(99)<1500"}, {Threshold: "rate<1"}},
		"no_such_metric":              {{Threshold: "count>0"}},
		"http_req_failed{name":        {{Threshold: "rate<0.01"}},
		HTTPReqFailed:                 {{Threshold: "rate<0.01", AbortOnFail: true, DelayAbortEval: -1}},
		"http_req_waiting{name:cart}": {{Threshold: "p(101)<1"}},
	}, reg)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`"p(95)<<500" on http_req_duration`, `"rate<1" on http_req_duration`,
		`"no_such_metric"`, `http_req_failed{name`, "no closing }", "delayAbortEval -1ns", `"p(101)<1" on http_req_waiting{name:cart}`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "p(99)<1500") {
		t.Errorf("a valid expression is reported as a problem:\n%v", err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 6 {
		t.Errorf("%d problems reported, want 6:\n%v", n, err)
	}
}
