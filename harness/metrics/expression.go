package metrics

import (
	"fmt"
	"strconv"
	"strings"
)

// Expression is one threshold expression in k6's grammar,
//
//	AGGREGATION OPERATOR NUMBER      e.g. p(95) < 500, rate<0.01, count>=100
//
// with AGGREGATION one of count, rate, value, avg, min, max, med or p(N)
// (N a decimal from 0 to 100, e.g. p(99.9)), OPERATOR one of <, <=, >, >=,
// ==, === (the same as ==) and !=, and NUMBER a decimal with an optional
// sign, fraction and exponent (500, 0.01, -1, 1e3). Spaces and tabs may
// surround each of the three parts and N inside p( ). Which aggregations a
// metric allows depends on its Type (see Aggregation.AllowedFor).
//
// The grammar is written from k6's documentation ("Thresholds" and the
// metric type pages), not from k6's code.
type Expression struct {
	Aggregation Aggregation
	Operator    Operator
	Bound       float64
}

// ParseExpression parses src. The error says where and what is wrong.
func ParseExpression(src string) (Expression, error) {
	e, err := parseExpression(src)
	if err != nil {
		return Expression{}, fmt.Errorf("expression %q: %w", src, err)
	}
	return e, nil
}

// parseExpression is ParseExpression without naming src in the error.
func parseExpression(src string) (Expression, error) {
	p := exprParser{src: src}
	return p.parse()
}

// String is the expression in canonical form, without spaces: p(99.9)<500.
func (e Expression) String() string {
	return e.Aggregation.String() + e.Operator.String() + formatNumber(e.Bound)
}

// Holds reports whether value satisfies the expression's comparison.
func (e Expression) Holds(value float64) bool { return e.Operator.Compare(value, e.Bound) }

type exprParser struct {
	src string
	pos int
}

func (p *exprParser) parse() (Expression, error) {
	var e Expression
	p.skipSpace()
	agg, err := p.aggregation()
	if err != nil {
		return e, err
	}
	p.skipSpace()
	op, err := p.operator()
	if err != nil {
		return e, err
	}
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && !isSpace(p.src[p.pos]) {
		p.pos++
	}
	bound, err := parseNumber(p.src[start:p.pos])
	if err != nil {
		return e, fmt.Errorf("at byte %d: %w", start, err)
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return e, fmt.Errorf("at byte %d: unexpected %q after the number", p.pos, p.src[p.pos:])
	}
	return Expression{Aggregation: agg, Operator: op, Bound: bound}, nil
}

func (p *exprParser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *exprParser) aggregation() (Aggregation, error) {
	start := p.pos
	for p.pos < len(p.src) && isLetter(p.src[p.pos]) {
		p.pos++
	}
	word := p.src[start:p.pos]
	switch {
	case word == "":
		if p.pos == len(p.src) {
			return Aggregation{}, fmt.Errorf("empty: want %s", aggregationHint)
		}
		return Aggregation{}, fmt.Errorf("at byte %d: want an aggregation (%s), got %q", start, aggregationHint, p.src[start:])
	case word == "p":
		return p.percentile(start)
	case isMethod(word):
		return Aggregation{Method: word}, nil
	}
	return Aggregation{}, fmt.Errorf("at byte %d: unknown aggregation %q: want %s", start, word, aggregationHint)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// percentile reads "(N)" after a p at start.
func (p *exprParser) percentile(start int) (Aggregation, error) {
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return Aggregation{}, fmt.Errorf("at byte %d: p needs a percentile in parentheses, like p(95)", start)
	}
	closing := strings.IndexByte(p.src[p.pos:], ')')
	if closing < 0 {
		return Aggregation{}, fmt.Errorf("at byte %d: p( has no closing parenthesis", p.pos)
	}
	inner := p.src[p.pos+1 : p.pos+closing]
	n, err := parseNumber(strings.Trim(inner, " \t\n\r"))
	if err != nil {
		return Aggregation{}, fmt.Errorf("at byte %d: percentile p(%s): %w", start, inner, err)
	}
	if n < 0 || n > 100 {
		return Aggregation{}, fmt.Errorf("at byte %d: percentile p(%s): must be between 0 and 100", start, inner)
	}
	p.pos += closing + 1
	return Aggregation{Method: MethodPercentile, Percentile: n}, nil
}

func (p *exprParser) operator() (Operator, error) {
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte("<>=!", p.src[p.pos]) >= 0 {
		p.pos++
	}
	sym := p.src[start:p.pos]
	for op, s := range operatorSymbols {
		if s == sym && sym != "" {
			return Operator(op), nil
		}
	}
	if sym == "" {
		if start == len(p.src) {
			return 0, fmt.Errorf("no comparison operator after %q: want one of < <= > >= == === !=", p.src[:start])
		}
		return 0, fmt.Errorf("at byte %d: want a comparison operator (< <= > >= == === !=), got %q", start, p.src[start:])
	}
	return 0, fmt.Errorf("at byte %d: unknown operator %q: want one of < <= > >= == === !=", start, sym)
}

// parseNumber accepts k6's threshold numbers: an optional sign, digits with
// an optional fraction, an optional exponent. Go's extras (hex, _, Inf,
// NaN) are refused.
func parseNumber(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("missing number")
	}
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits > 0 && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			digits = 0
		}
	}
	if digits == 0 || i != len(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Operator is a threshold's comparison.
type Operator uint8

// The comparison operators. StrictEqual (===) compares like Equal: both
// sides are numbers.
const (
	Less Operator = iota
	LessOrEqual
	Greater
	GreaterOrEqual
	Equal
	StrictEqual
	NotEqual
)

var operatorSymbols = [...]string{Less: "<", LessOrEqual: "<=", Greater: ">", GreaterOrEqual: ">=",
	Equal: "==", StrictEqual: "===", NotEqual: "!="}

// String is the operator's symbol.
func (o Operator) String() string {
	if int(o) < len(operatorSymbols) {
		return operatorSymbols[o]
	}
	return fmt.Sprintf("Operator(%d)", uint8(o))
}

// Compare reports whether "value o bound" holds.
func (o Operator) Compare(value, bound float64) bool {
	switch o {
	case Less:
		return value < bound
	case LessOrEqual:
		return value <= bound
	case Greater:
		return value > bound
	case GreaterOrEqual:
		return value >= bound
	case Equal, StrictEqual:
		return value == bound
	case NotEqual:
		return value != bound
	}
	return false
}
