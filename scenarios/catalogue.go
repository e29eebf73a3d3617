package scenarios

// Catalogue returns every scenario, in the order `gameday run` plays them:
// the longest halves first, so that they are not left running alone at the
// end of a parallel run.
func Catalogue() []Scenario {
	return []Scenario{
		catalogTimeoutAmplification(),
		imageSlowLoad(),
		browserErrorsSurfaced(),
		cascadingCircuitBreaker(),
		instanceKillRetryStorm(),
		homepageFlood(),
		paymentFailure(),
		tailHiddenByAverage(),
		kafkaQueueProblems(),
		blastRadiusGuard(),
	}
}
