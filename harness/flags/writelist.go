package flags

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteList prints flags as an aligned table: key, state, default variant
// (with * when overridden), current value and the variants, e.g.
//
//	FLAG            STATE    VARIANT  VALUE  VARIANTS
//	paymentFailure  ENABLED  50%*     0.5    off=0 10%=0.1 50%=0.5 100%=1
func WriteList(w io.Writer, flags []FlagState) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tSTATE\tVARIANT\tVALUE\tVARIANTS")
	for _, f := range flags {
		variant := f.DefaultVariant
		if f.Overridden {
			variant += "*"
		}
		value := "-"
		if f.State != StateDisabled {
			value = compactJSON(f.Value)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Key, f.State, variant, value, variantList(f.Variants))
	}
	return tw.Flush()
}

func variantList(variants map[string]any) string {
	names := sortedVariantNames(variants)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + compactJSON(variants[n])
	}
	return strings.Join(parts, " ")
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
