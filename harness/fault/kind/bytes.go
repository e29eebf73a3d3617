package kind

import (
	"errors"
	"strconv"
	"strings"
)

// byteUnits are the binary suffixes Kubernetes and Docker users write
// ("20Mi"), largest first so FormatBytes picks the shortest exact form.
var byteUnits = []struct {
	suffix string
	size   int64
}{
	{"Gi", 1 << 30},
	{"Mi", 1 << 20},
	{"Ki", 1 << 10},
}

// FormatBytes prints n with the largest binary suffix that divides it.
func FormatBytes(n int64) string {
	for _, u := range byteUnits {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

var errBadBytes = errors.New("want a size like 20Mi, 512Ki, 1Gi or a byte count")

// ParseBytes reads what FormatBytes prints, and plain byte counts.
func ParseBytes(s string) (int64, error) {
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.size
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errBadBytes
	}
	if n > (1<<62)/mult {
		return 0, errors.New("size too large")
	}
	return n * mult, nil
}
