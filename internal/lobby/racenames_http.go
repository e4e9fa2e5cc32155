package lobby

import (
	"context"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/outbox"
)

// LookupRaceName says whether a name is free (public).
func (h *Handlers) LookupRaceName(w http.ResponseWriter, r *http.Request, name string) {
	ctx, cancel := h.Service.db.WithTimeout(r.Context())
	defer cancel()
	key, available, err := h.Names.Lookup(ctx, h.Service.db.Pool, name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.RaceNameAvailability{Name: name, CanonicalKey: key, Available: available})
}

// ListMyRaceNames lists the caller's bindings.
func (h *Handlers) ListMyRaceNames(w http.ResponseWriter, r *http.Request, p apigen.ListMyRaceNamesParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, cancel := h.Service.db.WithTimeout(r.Context())
	defer cancel()
	rows, next, err := h.Names.PageByUser(ctx, h.Service.db.Pool, caller(r), limit, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.RaceNameBindingList{Items: make([]apigen.RaceNameBinding, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, b := range rows {
		out.Items[i] = bindingJSON(b)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// RegisterRaceName registers for good a name pending for the caller.
func (h *Handlers) RegisterRaceName(w http.ResponseWriter, r *http.Request, name string) {
	var b racenames.Binding
	err := h.Service.db.InTx(r.Context(), func(ctx context.Context, tx pgx.Tx) (err error) {
		if b, err = h.Names.Register(ctx, tx, caller(r), name); err != nil {
			return err
		}
		return outbox.Publish(ctx, tx, outbox.RaceNameRegistered{RaceName: b.Name, CanonicalKey: b.CanonicalKey,
			UserID: b.HolderUserID, RegisteredAt: time.Now()})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, bindingJSON(b))
}

func bindingJSON(b racenames.Binding) apigen.RaceNameBinding {
	return apigen.RaceNameBinding{Name: b.Name, CanonicalKey: b.CanonicalKey,
		BindingKind: apigen.RaceNameBindingBindingKind(b.Kind), GameId: b.GameID, EligibleUntil: b.EligibleUntil}
}
