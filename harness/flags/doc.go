// Package flags is gameday's feature-flag service: a flagd-compatible flag
// file parser and evaluator, an HTTP server speaking OFREP (the OpenFeature
// Remote Evaluation Protocol) plus a small admin API, and the client side —
// an OpenFeature provider over OFREP and an admin client used by tests and
// the CLI to flip flags during a run.
//
// # Flag files
//
// Files follow the flagd schema (https://flagd.dev/reference/flag-definitions/):
// a "flags" object whose entries have a state (ENABLED or DISABLED), typed
// variants, a defaultVariant and optional JsonLogic "targeting"; shared rules
// live in "$evaluators" and are referenced with {"$ref": "name"}. [Parse]
// reports every problem at once (errors.Join), each naming the file, the flag
// and the field.
//
// # Evaluation
//
// [Set.Evaluate] follows flagd: no targeting gives reason STATIC; targeting
// that yields a known variant gives TARGETING_MATCH; targeting that yields
// null, an empty or unknown variant falls back to the default variant with
// reason DEFAULT; a disabled flag gives reason DISABLED and no value. The
// JsonLogic engine is github.com/diegoholiveira/jsonlogic/v3 with flagd's
// custom operators fractional, starts_with, ends_with and sem_ver. The
// context gets "$flagd": {"flagKey", "timestamp"}.
//
// fractional hashes $flagd.flagKey + bucketing value with 32-bit murmur3
// (seed 0); the bucketing value is the first argument when it is a string,
// else the targetingKey, as in flagd. The hash is mapped to [0,100] as
// |int32(hash)|/MaxInt32*100 and compared against the cumulative weight
// percentages, the mapping of flagd v0.11–v0.12 (the versions the
// OpenTelemetry demo ships); the tests check flagd's own expected
// assignments.
//
// # Server
//
// [NewServer] serves a file (watched with fsnotify plus a poll fallback, so a
// rewritten file takes effect within about a second) or fixed bytes. A reload
// that fails leaves the last good flags in force and is reported by
// [Server.LastError]. Admin overrides set with [Server.SetDefaultVariant] or
// PUT /admin/flags/{key} survive file reloads as long as the flag still has
// that variant: a scenario that turned a fault on keeps it on even if someone
// touches the file. Setting the variant back to the file's default removes the
// override.
//
// Endpoints:
//
//	POST /ofrep/v1/evaluate/flags/{key}   single evaluation (OFREP)
//	POST /ofrep/v1/evaluate/flags         bulk evaluation (OFREP, ETag aware)
//	GET  /admin/flags                     every flag with its current value
//	PUT  /admin/flags/{key}               {"defaultVariant": "on"}, needs Authorization: Bearer TOKEN
//	GET  /healthz                         {"status": "ok"}
//
// OFREP errors use flagd's shape {"key", "errorCode", "errorDetails"}: 404
// for FLAG_NOT_FOUND, 400 otherwise. A disabled flag answers 200 with reason
// DISABLED and no value, which OFREP clients read as "use the code default";
// bulk evaluation leaves disabled flags out, as flagd does. Admin errors are
// {"error", "code"} with 401 (no token), 403 (wrong token, or writes disabled
// because the server has no token), 404 (unknown flag) and 400 (unknown
// variant, with "validVariants").
//
// # Clients
//
// [NewOFREPProvider] is an openfeature.FeatureProvider; register it under a
// named domain (openfeature.SetNamedProviderAndWait) since several systems
// may run in one test process. [NewAdminClient] lists and sets flags;
// [WriteList] prints the table the CLI shows.
package flags
