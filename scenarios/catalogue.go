package scenarios

// Catalogue returns every scenario, in the order `gameday run` plays them.
// The order is the schedule's (see RunJobs): the timing-sensitive quiet
// half (catalog-timeout's fixed one) is granted first, with only light
// halves beside it; then the heavy halves, longest first (catalog-
// timeout's unfixed half, image-slow-load, the rollout, browser-errors),
// so none ends up alone at the end of the run; the rollout comes before
// browser-errors so image-slow-load's fixed half paints beside one other
// browser half, not two. The light halves fill the room beside the quiet
// one (payment-failure last: it is the costliest).
func Catalogue() []Scenario {
	return []Scenario{
		catalogTimeoutAmplification(),
		imageSlowLoad(),
		flagRollout(),
		browserErrorsSurfaced(),
		tailHiddenByAverage(),
		kafkaQueueProblems(),
		blastRadiusGuard(),
		cascadingCircuitBreaker(),
		instanceKillRetryStorm(),
		paymentFailure(),
		homepageFlood(),
	}
}
