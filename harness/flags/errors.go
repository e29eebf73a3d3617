package flags

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrUnknownFlag means the flag key does not exist.
	ErrUnknownFlag = errors.New("unknown flag")
	// ErrUnknownVariant means the flag has no such variant.
	ErrUnknownVariant = errors.New("unknown variant")
	// ErrUnauthorized means the admin token was missing or wrong.
	ErrUnauthorized = errors.New("unauthorized")
)

// UnknownFlagError reports a flag key that does not exist.
type UnknownFlagError struct{ Key string }

func (e *UnknownFlagError) Error() string { return fmt.Sprintf("unknown flag %q", e.Key) }

// Is makes errors.Is(err, ErrUnknownFlag) true.
func (e *UnknownFlagError) Is(target error) bool { return target == ErrUnknownFlag }

// UnknownVariantError reports a variant a flag does not have, listing the
// valid ones.
type UnknownVariantError struct {
	Key     string
	Variant string
	Valid   []string
}

func (e *UnknownVariantError) Error() string {
	return fmt.Sprintf("flag %q has no variant %q (valid: %s)", e.Key, e.Variant, strings.Join(e.Valid, ", "))
}

// Is makes errors.Is(err, ErrUnknownVariant) true.
func (e *UnknownVariantError) Is(target error) bool { return target == ErrUnknownVariant }
