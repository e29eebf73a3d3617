package flags

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/open-feature/go-sdk/openfeature"
)

// decodeOFREP turns an OFREP HTTP answer into a result: 200 with a value is
// a success; 200 without a value (a disabled flag) means "use the code
// default"; 400/404 carry an errorCode; anything else is a GENERAL error.
func decodeOFREP(status int, body []byte, flag string) ofrepResult {
	switch status {
	case http.StatusOK:
		var ok struct {
			Value    json.RawMessage `json:"value"`
			Reason   string          `json:"reason"`
			Variant  string          `json:"variant"`
			Metadata map[string]any  `json:"metadata"`
		}
		if err := json.Unmarshal(body, &ok); err != nil {
			return errorResult(openfeature.NewParseErrorResolutionError("decode OFREP response: " + err.Error()))
		}
		detail := openfeature.ProviderResolutionDetail{
			Reason: openfeature.Reason(ok.Reason), Variant: ok.Variant, FlagMetadata: ok.Metadata,
		}
		if len(ok.Value) == 0 || bytes.Equal(ok.Value, []byte("null")) {
			if detail.Reason == "" {
				detail.Reason = openfeature.DefaultReason
			}
			return ofrepResult{detail: detail}
		}
		var v any
		if err := json.Unmarshal(ok.Value, &v); err != nil {
			return errorResult(openfeature.NewParseErrorResolutionError("decode OFREP value: " + err.Error()))
		}
		return ofrepResult{hasValue: true, value: v, detail: detail}
	case http.StatusBadRequest, http.StatusNotFound:
		var e ofrepError
		if err := json.Unmarshal(body, &e); err != nil || e.ErrorCode == "" {
			return errorResult(openfeature.NewGeneralResolutionError(
				fmt.Sprintf("flag service answered %d for %q", status, flag)))
		}
		return errorResult(resolutionError(e.ErrorCode, e.ErrorDetails))
	case http.StatusUnauthorized, http.StatusForbidden:
		return errorResult(openfeature.NewGeneralResolutionError(
			fmt.Sprintf("flag service refused the request (%d)", status)))
	default:
		return errorResult(openfeature.NewGeneralResolutionError(
			fmt.Sprintf("flag service answered %d for %q", status, flag)))
	}
}

// resolutionError maps an OFREP error code to the OpenFeature error.
func resolutionError(code ErrorCode, details string) openfeature.ResolutionError {
	switch code {
	case ErrorFlagNotFound:
		return openfeature.NewFlagNotFoundResolutionError(details)
	case ErrorParse:
		return openfeature.NewParseErrorResolutionError(details)
	case ErrorTypeMismatch:
		return openfeature.NewTypeMismatchResolutionError(details)
	case ErrorTargetingKeyMissing:
		return openfeature.NewTargetingKeyMissingResolutionError(details)
	case ErrorInvalidContext:
		return openfeature.NewInvalidContextResolutionError(details)
	default:
		return openfeature.NewGeneralResolutionError(details)
	}
}
