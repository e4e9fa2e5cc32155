package web

import (
	"net/http"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// raceNameCheck is the answer of GET /race-names/check, which racename.js
// shows beside a race-name input as the player types.
type raceNameCheck struct {
	Name string `json:"name"`
	// Valid is false when the directory would refuse the name's form.
	Valid bool `json:"valid"`
	// Available is true when the player may take the name: free, or
	// already theirs.
	Available bool `json:"available"`
	// Yours is true when the player holds the name already.
	Yours   bool   `json:"yours"`
	Message string `json:"message"`
}

// RaceNameCheck says whether a race name is free (GET
// /race-names/check?name=…), from the Race Name Directory's public lookup;
// for a signed-in player, a name they already hold counts as theirs, not as
// taken. It is a convenience: applying still decides.
func (u *UI) RaceNameCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name, msg := form.RaceName(r.URL.Query().Get("name"))
	out := raceNameCheck{Name: name, Message: msg}
	if msg != "" {
		writeJSON(w, http.StatusOK, out)
		return
	}
	var (
		wg         sync.WaitGroup
		lookup     *apiclient.LookupRaceNameResponse
		errL       error
		mine       []apiclient.RaceNameBinding
		s          = &Session{Token: session.Token(ctx)}
		hasSession = s.Token != ""
	)
	wg.Go(func() {
		lookup, errL = u.api.LookupRaceNameWithResponse(ctx, name)
		errL = check(lookup, errL)
	})
	if hasSession {
		wg.Go(func() {
			resp, err := u.api.ListMyRaceNamesWithResponse(ctx, &apiclient.ListMyRaceNamesParams{Limit: &maxPage}, s.auth())
			if check(resp, err) == nil {
				mine = resp.JSON200.Items
			}
		})
	}
	wg.Wait()
	if errL != nil {
		if e, ok := refusal(errL); ok {
			out.Message = e.Message // the directory's reason the name is not valid
			writeJSON(w, http.StatusOK, out)
			return
		}
		u.logger.Warn("race name check failed", "error", errL)
		writeJSON(w, http.StatusBadGateway, raceNameCheck{Name: name, Valid: true, Message: "The name could not be checked now."})
		return
	}
	a := lookup.JSON200
	out.Valid, out.Available = true, a.Available
	for _, b := range mine {
		if b.CanonicalKey == a.CanonicalKey {
			out.Yours, out.Available = true, true
		}
	}
	switch {
	case out.Yours:
		out.Message = name + " is yours."
	case out.Available:
		out.Message = name + " is free."
	default:
		out.Message = name + " is taken by another player (names that look alike count as the same)."
	}
	writeJSON(w, http.StatusOK, out)
}
