package kind

import (
	"strconv"
	"strings"
	"time"
)

// Writer builds a kind's Params: each Put writes a non-zero value in the
// form Reader reads back.
type Writer map[string]string

// Duration puts d.
func (w Writer) Duration(key string, d time.Duration) Writer {
	if d != 0 {
		w[key] = d.String()
	}
	return w
}

// Float puts f.
func (w Writer) Float(key string, f float64) Writer {
	if f != 0 {
		w[key] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return w
}

// Int puts n.
func (w Writer) Int(key string, n int64) Writer {
	if n != 0 {
		w[key] = strconv.FormatInt(n, 10)
	}
	return w
}

// Bool puts b.
func (w Writer) Bool(key string, b bool) Writer {
	if b {
		w[key] = "true"
	}
	return w
}

// String puts s.
func (w Writer) String(key, s string) Writer {
	if s != "" {
		w[key] = s
	}
	return w
}

// List puts l, comma-separated.
func (w Writer) List(key string, l []string) Writer {
	if len(l) > 0 {
		w[key] = strings.Join(l, ",")
	}
	return w
}

// trimFloat prints f with up to prec significant digits.
func trimFloat(f float64, prec int) string {
	return strconv.FormatFloat(f, 'g', prec, 64)
}
