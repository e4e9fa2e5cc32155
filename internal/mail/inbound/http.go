package inbound

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Handlers serve the providers' inbound webhook and the players' messages.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(r.Context(), w, h.Logger, err)
}

// ReceiveInboundMail is the webhook door: the body is one raw message.
func (h *Handlers) ReceiveInboundMail(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxMessageBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		h.Service.metrics.refused(r.Context(), "too_large")
		h.fail(w, r, errs.E(errs.PayloadTooLarge, "the message is over %d bytes", MaxMessageBytes))
		return
	}
	if err != nil {
		h.fail(w, r, errs.Wrap(err, errs.InvalidArgument, "read the message"))
		return
	}
	rec, err := h.Service.Receive(r.Context(), SourceWebhook, "", raw)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, apigen.InboundReceipt{InboundId: rec.InboundID, Duplicate: rec.Duplicate})
}
