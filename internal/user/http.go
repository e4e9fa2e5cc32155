package user

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Handlers serve /api/v1/user/me; the user guard has authenticated the
// caller before they run.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
}

// GetMe returns the caller's account.
func (h *Handlers) GetMe(w http.ResponseWriter, r *http.Request) {
	caller, ok := authctx.UserFrom(r.Context())
	if !ok {
		httpx.WriteError(r.Context(), w, h.Logger, errs.E(errs.Unauthenticated, "not signed in"))
		return
	}
	u, err := h.Service.Get(r.Context(), caller.UserID)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	buf := profileBufs.Get().(*[]byte)
	*buf = appendProfileJSON((*buf)[:0], ProfileJSON(u))
	httpx.WriteJSONBytes(w, http.StatusOK, *buf) // the server copies it
	profileBufs.Put(buf)
}

// profileBufs recycles the buffers GetMe encodes into.
var profileBufs = sync.Pool{New: func() any {
	buf := make([]byte, 0, 512)
	return &buf
}}

// UpdateMe changes the caller's display name and/or time zone.
func (h *Handlers) UpdateMe(w http.ResponseWriter, r *http.Request) {
	caller, ok := authctx.UserFrom(r.Context())
	if !ok {
		httpx.WriteError(r.Context(), w, h.Logger, errs.E(errs.Unauthenticated, "not signed in"))
		return
	}
	var body apigen.ProfileUpdate
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	u, err := h.Service.UpdateProfile(r.Context(), caller.UserID, Profile{DisplayName: body.DisplayName, Timezone: body.Timezone})
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ProfileJSON(u))
}

// ProfileJSON renders a user for the API.
func ProfileJSON(u User) apigen.UserProfile {
	return apigen.UserProfile{
		UserId: u.UserID, Email: u.Email, DisplayName: u.DisplayName, Timezone: u.Timezone, Country: u.Country,
		Status: apigen.UserProfileStatus(u.Status), BlockReason: u.BlockReason, CreatedAt: u.CreatedAt.UTC(),
		LastSeenAt: utc(u.LastSeenAt),
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}
