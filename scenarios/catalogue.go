package scenarios

// Catalogue returns every scenario, in the order `gameday run` plays them.
func Catalogue() []Scenario {
	return []Scenario{
		catalogTimeoutAmplification(),
		paymentFailure(),
		blastRadiusGuard(),
		kafkaQueueProblems(),
		tailHiddenByAverage(),
		homepageFlood(),
		cascadingCircuitBreaker(),
		instanceKillRetryStorm(),
		imageSlowLoad(),
		browserErrorsSurfaced(),
	}
}
