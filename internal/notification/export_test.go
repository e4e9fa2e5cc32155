package notification

// SetBeforeAttempt installs a hook that runs at the start of every attempt;
// its error fails the attempt (tests use it to make a route fail). Set it
// before the job client starts.
func SetBeforeAttempt(s *Service, fn func(routeID, channel string) error) { s.beforeAttempt = fn }
