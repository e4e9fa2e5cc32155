package inbound

import (
	"context"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Message is one relayed message as its recipient reads it.
type Message = inboundstore.GameMessage

// MessagesPage returns one page of the messages userID received in a
// game, newest first.
func (s *Service) MessagesPage(ctx context.Context, userID, gameID string, limit int, after *httpx.Cursor) ([]Message, *httpx.Cursor, error) {
	p := inboundstore.PageGameMessagesParams{GameID: gameID, ToUserID: userID, MaxRows: int32(limit + 1)}
	if after != nil {
		p.BeforeCreated, p.BeforeID = &after.At, &after.ID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := inboundstore.New(s.db.Pool).PageGameMessages(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, limit, func(m Message) httpx.Cursor { return httpx.Cursor{At: m.CreatedAt, ID: m.MessageID} })
	return rows, next, nil
}

// ListGameMessages lists the messages relayed to the caller's race.
func (h *Handlers) ListGameMessages(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListGameMessagesParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, _ := authctx.UserFrom(r.Context())
	rows, next, err := h.Service.MessagesPage(r.Context(), u.UserID, gameID, limit, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.GameMessageList{Items: make([]apigen.GameMessage, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, m := range rows {
		out.Items[i] = apigen.GameMessage{MessageId: m.MessageID, GameId: m.GameID, FromRace: m.FromRaceName,
			ToRace: m.ToRaceName, ToAll: m.ToAll, Body: m.Body, CreatedAt: m.CreatedAt.UTC()}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
