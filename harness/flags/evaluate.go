package flags

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/diegoholiveira/jsonlogic/v3"
)

// Reason says why an evaluation produced its value (OpenFeature reasons).
type Reason string

// Reasons.
const (
	ReasonStatic         Reason = "STATIC"
	ReasonTargetingMatch Reason = "TARGETING_MATCH"
	ReasonDefault        Reason = "DEFAULT"
	ReasonDisabled       Reason = "DISABLED"
	ReasonError          Reason = "ERROR"
)

// ErrorCode classifies a failed evaluation (OpenFeature error codes).
type ErrorCode string

// Error codes.
const (
	ErrorFlagNotFound        ErrorCode = "FLAG_NOT_FOUND"
	ErrorParse               ErrorCode = "PARSE_ERROR"
	ErrorTypeMismatch        ErrorCode = "TYPE_MISMATCH"
	ErrorTargetingKeyMissing ErrorCode = "TARGETING_KEY_MISSING"
	ErrorInvalidContext      ErrorCode = "INVALID_CONTEXT"
	ErrorGeneral             ErrorCode = "GENERAL"
)

// Result is the outcome of evaluating one flag.
type Result struct {
	Key string
	// Value is the variant's value: bool, string, float64 or map[string]any.
	// Nil when the flag is disabled or on error.
	Value        any
	Variant      string
	Reason       Reason
	ErrorCode    ErrorCode
	ErrorDetails string
}

// Err returns nil for a successful result, else an error with the code and
// details.
func (r Result) Err() error {
	if r.ErrorCode == "" {
		return nil
	}
	return fmt.Errorf("evaluate flag %q: %s: %s", r.Key, r.ErrorCode, r.ErrorDetails)
}

// Keys of the evaluation context flagd defines.
const (
	TargetingKey   = "targetingKey"
	flagdPropsKey  = "$flagd"
	flagdFlagKey   = "flagKey"
	flagdTimestamp = "timestamp"
)

// Evaluate evaluates flag key for evalCtx with flagd's semantics. evalCtx may
// be nil; it is never modified.
func (s *Set) Evaluate(key string, evalCtx map[string]any) Result {
	f, ok := s.flags[key]
	if !ok {
		return Result{Key: key, Reason: ReasonError, ErrorCode: ErrorFlagNotFound,
			ErrorDetails: fmt.Sprintf("flag %q does not exist", key)}
	}
	return f.evaluate(evalCtx, time.Now())
}

func (f *Flag) evaluate(evalCtx map[string]any, now time.Time) Result {
	if f.State == StateDisabled {
		return Result{Key: f.Key, Reason: ReasonDisabled}
	}
	def := Result{Key: f.Key, Value: f.Variants[f.DefaultVariant], Variant: f.DefaultVariant, Reason: ReasonStatic}
	if f.Targeting == nil {
		return def
	}
	data, err := normalizeContext(evalCtx)
	if err != nil {
		return Result{Key: f.Key, Reason: ReasonError, ErrorCode: ErrorInvalidContext, ErrorDetails: err.Error()}
	}
	data[flagdPropsKey] = map[string]any{flagdFlagKey: f.Key, flagdTimestamp: float64(now.Unix())}

	out, err := applyRule(f.Targeting, data)
	if err != nil {
		return Result{Key: f.Key, Reason: ReasonError, ErrorCode: ErrorParse,
			ErrorDetails: fmt.Sprintf("targeting of flag %q: %v", f.Key, err)}
	}
	variant, ok := variantName(out)
	if !ok {
		def.Reason = ReasonDefault
		return def
	}
	v, ok := f.Variants[variant]
	if !ok {
		// flagd falls back to the default for a variant it does not know.
		def.Reason = ReasonDefault
		return def
	}
	return Result{Key: f.Key, Value: v, Variant: variant, Reason: ReasonTargetingMatch}
}

// applyRule runs the JsonLogic engine, turning its panics (it panics on
// malformed rules and some type surprises) into errors.
func applyRule(rule any, data map[string]any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jsonlogic: %v", r)
		}
	}()
	return jsonlogic.ApplyInterface(rule, data)
}

// variantName converts a targeting result into a variant name the way flagd
// does (it strips quotes from the JSON result): strings as is, booleans and
// numbers by their JSON text. Null, empty and structured results yield false.
func variantName(out any) (string, bool) {
	switch v := out.(type) {
	case string:
		return v, v != ""
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	default:
		return "", false
	}
}

// normalizeContext round-trips the context through JSON so the engine sees
// only the types it understands (float64, string, bool, []any, map[string]any).
func normalizeContext(evalCtx map[string]any) (map[string]any, error) {
	if len(evalCtx) == 0 {
		return map[string]any{}, nil
	}
	b, err := json.Marshal(evalCtx)
	if err != nil {
		return nil, fmt.Errorf("context is not JSON-encodable: %w", err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("context is not JSON-encodable: %w", err)
	}
	return out, nil
}
