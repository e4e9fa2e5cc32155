package web

import "time"

// at formats t in the player's time zone the way pages do (View.T), for the
// messages written in Go: flashes and notification sentences.
func (s *Session) at(t time.Time) string { return s.view("", "", nil).T(t) }
