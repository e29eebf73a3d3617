package metrics

// Builtin describes a metric every registry defines up front.
type Builtin struct {
	Name      string
	Type      Type
	ValueType ValueType
}

// Names of the k6 built-in metrics and of gameday's own, so producers and
// consumers never spell them twice.
const (
	HTTPReqs               = "http_reqs"
	HTTPReqDuration        = "http_req_duration"
	HTTPReqFailed          = "http_req_failed"
	HTTPReqBlocked         = "http_req_blocked"
	HTTPReqConnecting      = "http_req_connecting"
	HTTPReqTLSHandshaking  = "http_req_tls_handshaking"
	HTTPReqSending         = "http_req_sending"
	HTTPReqWaiting         = "http_req_waiting"
	HTTPReqReceiving       = "http_req_receiving"
	Iterations             = "iterations"
	IterationDuration      = "iteration_duration"
	DroppedIterations      = "dropped_iterations"
	Checks                 = "checks"
	VUs                    = "vus"
	VUsMax                 = "vus_max"
	DataSent               = "data_sent"
	DataReceived           = "data_received"
	GroupDuration          = "group_duration"
	BrowserLCP             = "browser_web_vital_lcp"
	BrowserFCP             = "browser_web_vital_fcp"
	BrowserCLS             = "browser_web_vital_cls"
	BrowserTTFB            = "browser_web_vital_ttfb"
	BrowserINP             = "browser_web_vital_inp"
	BrowserHTTPReqDuration = "browser_http_req_duration"
	BrowserHTTPReqFailed   = "browser_http_req_failed"
	BrowserErrors          = "browser_errors"
	BrowserConsoleErrors   = "browser_console_errors"
	BrowserPageErrors      = "browser_page_errors"
	BrowserStepDuration    = "browser_step_duration"
	ProxyRequests          = "proxy_requests"
	ProxyDuration          = "proxy_request_duration"
)

// Builtins is the table NewRegistry defines: k6's names and types.
var Builtins = []Builtin{
	{HTTPReqs, Counter, Default},
	{HTTPReqDuration, Trend, Time},
	{HTTPReqFailed, Rate, Default},
	{HTTPReqBlocked, Trend, Time},
	{HTTPReqConnecting, Trend, Time},
	{HTTPReqTLSHandshaking, Trend, Time},
	{HTTPReqSending, Trend, Time},
	{HTTPReqWaiting, Trend, Time},
	{HTTPReqReceiving, Trend, Time},
	{Iterations, Counter, Default},
	{IterationDuration, Trend, Time},
	{DroppedIterations, Counter, Default},
	{Checks, Rate, Default},
	{VUs, Gauge, Default},
	{VUsMax, Gauge, Default},
	{DataSent, Counter, Data},
	{DataReceived, Counter, Data},
	{GroupDuration, Trend, Time},
	{BrowserLCP, Trend, Time},
	{BrowserFCP, Trend, Time},
	{BrowserCLS, Trend, Default},
	{BrowserTTFB, Trend, Time},
	{BrowserINP, Trend, Time},
	{BrowserHTTPReqDuration, Trend, Time},
	{BrowserHTTPReqFailed, Rate, Default},
	{BrowserErrors, Counter, Default},
	{BrowserConsoleErrors, Counter, Default},
	{BrowserPageErrors, Counter, Default},
	{BrowserStepDuration, Trend, Time},
	{ProxyRequests, Counter, Default},
	{ProxyDuration, Trend, Time},
}
