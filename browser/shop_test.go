package browser

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestShop is a small shop on 127.0.0.1 with the demo's hooks: home with
// product links and a large hero image (the LCP element), product pages with
// add-to-cart, a cart with the currency select and the checkout form, and a
// confirmation page. Knobs make it slow or broken.
type TestShop struct {
	URL string

	ImageDelay   atomic.Int64  // ns the hero image waits before it is served
	HomeScript   atomic.Value  // string: extra JavaScript on the home page
	CartStatus   atomic.Int64  // when non-zero, GET /cart answers with it
	AddStatus    atomic.Int64  // when non-zero, POST /api/cart answers with it
	ImageArrived chan struct{} // receives (non-blocking) when an image request starts

	mu       sync.Mutex
	carts    map[string][]string // session → product ids
	currency map[string]string   // session → currency code
	orders   []Order
	sessions map[string]bool
	inFlight int
	maxIn    int
}

// Order is a placed order as the test shop saw it.
type Order struct {
	Session, Currency string
	Items             []string
}

var shopProducts = []string{"OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM"}

var shopPage = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head><body>
<header><form method="POST" action="/setCurrency" id="currency_form">
<select name="currency_code" onchange="document.getElementById('currency_form').submit()">
{{range .Currencies}}<option value="{{.}}"{{if eq . $.Currency}} selected{{end}}>{{.}}</option>{{end}}
</select></form></header>
<main>{{.Body}}</main>{{if .Script}}<script>{{.Script}}</script>{{end}}</body></html>`))

type pageData struct {
	Title, Currency string
	Currencies      []string
	Body            template.HTML
	Script          template.JS
}

// NewTestShop starts the shop; it stops in tb.Cleanup.
func NewTestShop(tb testing.TB) *TestShop {
	tb.Helper()
	s := &TestShop{carts: map[string][]string{}, currency: map[string]string{}, sessions: map[string]bool{},
		ImageArrived: make(chan struct{}, 1)}
	s.HomeScript.Store("")
	var hero bytes.Buffer
	// Noisy, so Chromium does not discard it as a low-entropy LCP candidate,
	// and drawn at its intrinsic size, so it is the page's largest element.
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	_ = png.Encode(&hero, img)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		body := `<h1>Astronomy shop</h1><img src="/img/hero.png?t=` + strconv.FormatInt(time.Now().UnixNano(), 10) +
			`" width="300" height="200" alt="hero"><ul>`
		for _, id := range shopProducts {
			body += `<li><a data-cy="product-card" href="/product/` + id + `">` + id + `</a></li>`
		}
		s.render(w, r, "Home", body+"</ul>", s.HomeScript.Load().(string))
	})
	mux.HandleFunc("GET /img/hero.png", func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.ImageArrived <- struct{}{}:
		default:
		}
		select {
		case <-time.After(time.Duration(s.ImageDelay.Load())):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(hero.Bytes())
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(hero.Bytes()[:0])
	})
	mux.HandleFunc("GET /product/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := template.HTMLEscapeString(r.PathValue("id"))
		// Like the demo: add-to-cart is a fetch, then a client-side
		// navigation to the cart, or an error shown in #add-error.
		s.render(w, r, id, `<h2>`+id+`</h2><button data-cy="product-add-to-cart" onclick="addToCart('`+id+
			`')">Add to cart</button><p id="add-error" hidden></p>`, `async function addToCart(id) {
  const r = await fetch('/api/cart', {method: 'POST', body: new URLSearchParams({product_id: id})});
  if (r.ok) { location.href = '/cart'; return; }
  const el = document.getElementById('add-error'); el.hidden = false;
  el.textContent = 'Could not add to cart: ' + r.status;
}`)
	})
	mux.HandleFunc("POST /api/cart", func(w http.ResponseWriter, r *http.Request) {
		if st := s.AddStatus.Load(); st != 0 {
			http.Error(w, "cart service down", int(st))
			return
		}
		sid := s.session(w, r)
		s.mu.Lock()
		s.carts[sid] = append(s.carts[sid], r.FormValue("product_id"))
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /cart", func(w http.ResponseWriter, r *http.Request) {
		if st := s.CartStatus.Load(); st != 0 {
			w.WriteHeader(int(st))
			_, _ = w.Write([]byte("cart unavailable"))
			return
		}
		sid := s.session(w, r)
		s.mu.Lock()
		items := fmt.Sprint(s.carts[sid])
		s.mu.Unlock()
		s.render(w, r, "Cart", `<p data-cy="cart-items">`+template.HTMLEscapeString(items)+`</p>
<form method="POST" action="/cart/checkout"><input name="email" value="someone@example.com">
<button type="submit" data-cy="checkout-place-order">Place order</button></form>`, "")
	})
	mux.HandleFunc("POST /setCurrency", func(w http.ResponseWriter, r *http.Request) {
		sid := s.session(w, r)
		s.mu.Lock()
		s.currency[sid] = r.FormValue("currency_code")
		s.mu.Unlock()
		back := r.Referer()
		if back == "" {
			back = "/"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	})
	mux.HandleFunc("POST /cart/checkout", func(w http.ResponseWriter, r *http.Request) {
		sid := s.session(w, r)
		s.mu.Lock()
		o := Order{Session: sid, Currency: s.currencyOf(sid), Items: s.carts[sid]}
		s.orders = append(s.orders, o)
		delete(s.carts, sid)
		s.mu.Unlock()
		s.render(w, r, "Order placed", `<div data-cy="checkout-confirmation">Order placed: `+
			strconv.Itoa(len(o.Items))+` item(s)</div>`, "")
	})
	srv := httptest.NewServer(s.track(mux))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// track counts concurrent page loads (documents, not images).
func (s *TestShop) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/img/hero.png" || r.URL.Path == "/favicon.ico" {
			h.ServeHTTP(w, r)
			return
		}
		s.mu.Lock()
		s.inFlight++
		s.maxIn = max(s.maxIn, s.inFlight)
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.inFlight--; s.mu.Unlock() }()
		h.ServeHTTP(w, r)
	})
}

func (s *TestShop) session(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie("shop_session"); err == nil {
		return c.Value
	}
	s.mu.Lock()
	sid := "s" + strconv.Itoa(len(s.sessions)+1)
	s.sessions[sid] = true
	s.mu.Unlock()
	c := &http.Cookie{Name: "shop_session", Value: sid, Path: "/"}
	http.SetCookie(w, c)
	r.AddCookie(c) // later lookups in this request see the new session
	return sid
}

func (s *TestShop) currencyOf(sid string) string {
	if c := s.currency[sid]; c != "" {
		return c
	}
	return "USD"
}

func (s *TestShop) render(w http.ResponseWriter, r *http.Request, title, body, script string) {
	sid := s.session(w, r)
	s.mu.Lock()
	cur := s.currencyOf(sid)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = shopPage.Execute(w, pageData{Title: title, Currency: cur, Currencies: []string{"USD", "EUR", "CHF", "JPY"},
		Body: template.HTML(body), Script: template.JS(script)})
}

// Orders returns the orders placed so far.
func (s *TestShop) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Order(nil), s.orders...)
}

// MaxConcurrentPages is the most page requests the shop served at once.
func (s *TestShop) MaxConcurrentPages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxIn
}

// Sessions is the number of distinct shop sessions (cookie jars) seen.
func (s *TestShop) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
