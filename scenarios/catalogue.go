package scenarios

// Catalogue returns every scenario, in the order `gameday run` plays them.
// The order is the schedule's: the timing-sensitive (quiet) catalog-timeout
// halves first, with the lightest scenarios beside them; then the headless
// browsers, which may not run beside a quiet half; then the rest.
func Catalogue() []Scenario {
	return []Scenario{
		catalogTimeoutAmplification(),
		imageSlowLoad(),
		browserErrorsSurfaced(),
		paymentFailure(),
		tailHiddenByAverage(),
		kafkaQueueProblems(),
		blastRadiusGuard(),
		cascadingCircuitBreaker(),
		instanceKillRetryStorm(),
		homepageFlood(),
		flagRollout(),
	}
}
