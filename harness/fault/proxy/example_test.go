package proxy_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
)

// A proxy in front of a service, one listener for the "frontend" caller,
// and an injected error for every request.
func Example() {
	catalog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "products")
	}))
	defer catalog.Close()

	p, err := proxy.New(proxy.Config{Service: "product-catalog", Upstream: catalog.Listener.Addr().String()})
	if err != nil {
		panic(err)
	}
	defer p.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go p.Serve(ln, "frontend")

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	show := func() {
		resp, err := client.Get("http://" + ln.Addr().String() + "/products")
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}
	show()
	_ = p.SetHTTPFault(context.Background(), &proxy.HTTPFault{ErrorRate: 1, ErrorCode: 503, ErrorBody: "injected"}, time.Minute)
	show()
	_ = p.SetHTTPFault(context.Background(), nil, 0)
	show()

	time.Sleep(10 * time.Millisecond) // outcomes land just after the answer
	for _, e := range p.Edges() {
		fmt.Println(e.Caller, "->", e.Callee, e.Requests, e.Outcomes)
	}
	// Output:
	// 200 products
	// 503 injected
	// 200 products
	// frontend -> product-catalog 3 map[2xx:2 injected_error:1]
}
