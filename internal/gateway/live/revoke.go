package live

import (
	"encoding/json"
	"slices"
)

// revocation is what an auth.session.revoked payload says about whose
// streams to end.
type revocation struct {
	userID string
	// sessions names the revoked sessions; nil (no session named at all)
	// means every session of the user.
	sessions []string
}

// parseRevocation reads the payload the backend publishes with
// auth.session.revoked: {"user_id", "session_ids": [...], "reason"} for a
// block, and "session_id" for a single session. An unreadable payload
// revokes every session of the recipients: a revocation must never be
// ignored because of its shape.
func parseRevocation(data []byte) revocation {
	var p struct {
		UserID     string   `json:"user_id"`
		SessionID  *string  `json:"session_id"`
		SessionIDs []string `json:"session_ids"`
	}
	if json.Unmarshal(data, &p) != nil {
		return revocation{}
	}
	r := revocation{userID: p.UserID}
	if p.SessionIDs != nil || p.SessionID != nil {
		r.sessions = append([]string{}, p.SessionIDs...)
		if p.SessionID != nil {
			r.sessions = append(r.sessions, *p.SessionID)
		}
	}
	return r
}

// covers reports whether the revocation ends a stream of sessionID.
func (r revocation) covers(sessionID string) bool {
	return r.sessions == nil || slices.Contains(r.sessions, sessionID)
}
