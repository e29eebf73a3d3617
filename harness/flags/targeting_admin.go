package flags

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"time"
)

// Targeting overrides let the harness change who gets which variant of a
// flag while it runs — a guarded rollout moves a flag to a new variant for
// 1%, 10%, 50% of the evaluations with a fractional rule — without
// touching the flag file. An override replaces the file's targeting for
// that flag until it is cleared; it survives reloads while its variants
// still exist.

// TargetingState is a flag's targeting as the admin API reports it.
type TargetingState struct {
	Key string `json:"key"`
	// Targeting is the rule in force (the override if any); nil for none.
	Targeting any `json:"targeting"`
	// Overridden is true when an admin override is in force.
	Overridden bool `json:"overridden"`
}

// SetTargeting overrides flag key's targeting with rule (a JsonLogic rule,
// e.g. Fractional(...)); a nil rule clears the override and the file's
// targeting is in force again. The rule must evaluate and every variant
// a fractional bucket names must exist.
func (s *Server) SetTargeting(key string, rule any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.base.Flag(key)
	if !ok {
		return &UnknownFlagError{Key: key}
	}
	if rule == nil {
		delete(s.targeting, key)
		s.applyLocked()
		s.log.Info("flag targeting override cleared", "flag", key)
		return nil
	}
	if err := checkTargeting(f, rule); err != nil {
		return fmt.Errorf("targeting of flag %q: %w", key, err)
	}
	if s.targeting == nil {
		s.targeting = map[string]any{}
	}
	s.targeting[key] = rule
	s.applyLocked()
	s.log.Info("flag targeting overridden", "flag", key)
	return nil
}

// Targeting returns flag key's targeting in force.
func (s *Server) Targeting(key string) (TargetingState, error) {
	s.mu.Lock()
	_, over := s.targeting[key]
	s.mu.Unlock()
	f, ok := s.Flags().Flag(key)
	if !ok {
		return TargetingState{}, &UnknownFlagError{Key: key}
	}
	return TargetingState{Key: key, Targeting: f.Targeting, Overridden: over}, nil
}

// checkTargeting evaluates rule against a probe context and checks the
// variants its fractional buckets name.
func checkTargeting(f *Flag, rule any) error {
	if _, ok := rule.(map[string]any); !ok {
		return errors.New("rule must be a JsonLogic object")
	}
	probe := *f
	probe.Targeting = rule
	if r := probe.evaluate(map[string]any{TargetingKey: "probe"}, time.Now()); r.ErrorCode != "" {
		return errors.New(r.ErrorDetails)
	}
	var errs []error
	walkFractional(rule, func(variant string) {
		if _, ok := f.Variants[variant]; !ok {
			errs = append(errs, &UnknownVariantError{Key: f.Key, Variant: variant, Valid: f.VariantNames()})
		}
	})
	return errors.Join(errs...)
}

// walkFractional calls fn with each variant a fractional bucket names.
func walkFractional(rule any, fn func(string)) {
	switch r := rule.(type) {
	case map[string]any:
		for op, args := range r {
			if list, ok := args.([]any); ok && op == "fractional" {
				for _, b := range list {
					if arr, ok := b.([]any); ok && len(arr) > 0 {
						if name, ok := arr[0].(string); ok {
							fn(name)
						}
					}
				}
			}
			walkFractional(args, fn)
		}
	case []any:
		for _, a := range r {
			walkFractional(a, fn)
		}
	}
}

// applyTargetingLocked returns set with the targeting overrides applied;
// it drops an override whose variants the reloaded file no longer has.
func (s *Server) applyTargetingLocked(set *Set) *Set {
	if len(s.targeting) == 0 {
		return set
	}
	out := &Set{source: set.source, flags: maps.Clone(set.flags)}
	for key, rule := range s.targeting {
		f, ok := out.flags[key]
		if !ok || checkTargeting(f, rule) != nil {
			s.log.Warn("dropping flag targeting override after reload", "flag", key)
			delete(s.targeting, key)
			continue
		}
		nf := *f
		nf.Targeting = rule
		out.flags[key] = &nf
	}
	return out
}

func (s *Server) handleTargetingGet(w http.ResponseWriter, r *http.Request) {
	st, err := s.Targeting(r.PathValue("key"))
	if err != nil {
		writeJSON(w, http.StatusNotFound, adminError{Error: err.Error(), Code: codeFlagNotFound})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handleTargetingSet(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	key := r.PathValue("key")
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRequestBody))
	var req map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	raw, ok := req["targeting"]
	if err != nil || !ok {
		writeJSON(w, http.StatusBadRequest, adminError{
			Error: `body must be {"targeting": <JsonLogic rule> | null}`, Code: codeBadRequest})
		return
	}
	var rule any
	if err := json.Unmarshal(raw, &rule); err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{Error: "targeting: " + err.Error(), Code: codeBadRequest})
		return
	}
	if writeSetError(w, s.SetTargeting(key, rule), http.StatusBadRequest, codeBadRequest) {
		return
	}
	st, _ := s.Targeting(key)
	writeJSON(w, http.StatusOK, st)
}
