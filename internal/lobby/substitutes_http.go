package lobby

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// ClaimSubstitute claims a race offered to substitutes.
func (h *Handlers) ClaimSubstitute(w http.ResponseWriter, r *http.Request, gameID, raceName string) {
	c, err := h.Service.ClaimRace(r.Context(), caller(r), gameID, raceName)
	h.claim(w, r, c, err, http.StatusCreated)
}

// ListSubstituteClaims lists a game's claims (owner) or the caller's own.
func (h *Handlers) ListSubstituteClaims(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListSubstituteClaimsParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, next, err := h.Service.ClaimsPage(r.Context(), caller(r), gameID, limit, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.SubstituteClaimList{Items: make([]apigen.SubstituteClaim, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, c := range rows {
		out.Items[i] = ClaimJSON(c)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// ApproveSubstituteClaim hands the race to the claimant (owner).
func (h *Handlers) ApproveSubstituteClaim(w http.ResponseWriter, r *http.Request, gameID, claimID string) {
	c, err := h.Service.DecideClaim(r.Context(), caller(r), gameID, claimID, true)
	h.claim(w, r, c, err, http.StatusOK)
}

// RejectSubstituteClaim turns a claim down (owner).
func (h *Handlers) RejectSubstituteClaim(w http.ResponseWriter, r *http.Request, gameID, claimID string) {
	c, err := h.Service.DecideClaim(r.Context(), caller(r), gameID, claimID, false)
	h.claim(w, r, c, err, http.StatusOK)
}

// WithdrawSubstituteClaim withdraws the caller's open claim.
func (h *Handlers) WithdrawSubstituteClaim(w http.ResponseWriter, r *http.Request, gameID, claimID string) {
	c, err := h.Service.WithdrawClaim(r.Context(), caller(r), gameID, claimID)
	h.claim(w, r, c, err, http.StatusOK)
}

func (h *Handlers) claim(w http.ResponseWriter, r *http.Request, c Claim, err error, status int) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, ClaimJSON(c))
}
