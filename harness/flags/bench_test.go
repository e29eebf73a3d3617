package flags

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkEvaluate(b *testing.B) {
	s, err := LoadFile("testdata/otel-demo.flagd.json")
	if err != nil {
		b.Fatal(err)
	}
	frac := mustParse(b, colorFlags)
	b.Run("static", func(b *testing.B) {
		for b.Loop() {
			s.Evaluate("paymentFailure", nil)
		}
	})
	b.Run("targeting", func(b *testing.B) {
		ctx := map[string]any{"product_id": "OLJCESPC7Z"}
		for b.Loop() {
			s.Evaluate("productCatalogFailure", ctx)
		}
	})
	b.Run("fractional", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			frac.Evaluate("headerColor", map[string]any{"email": fmt.Sprintf("u%d@faas.com", i)})
		}
	})
}

func BenchmarkOFREPHandler(b *testing.B) {
	srv, err := NewServer(ServerConfig{Data: []byte(testFlags)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	h := srv.Handler()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/ofrep/v1/evaluate/flags/paymentFailure",
			strings.NewReader(`{"context": {"targetingKey": "u1"}}`))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
