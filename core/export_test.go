package core

import "time"

// SetClock makes s read the time from now, for tests of time-bound rules in package core_test.
func SetClock(s *Service, now func() time.Time) { s.now = now }
