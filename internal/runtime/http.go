package runtime

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// Handlers serve play (orders, turns, the caller's reports) and the
// runtime's admin endpoints; the guards have authenticated the caller.
type Handlers struct {
	Service *Service
	Lobby   *lobby.Service
	Logger  *slog.Logger
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(r.Context(), w, h.Logger, err)
}

func callerID(r *http.Request) string {
	u, _ := authctx.UserFrom(r.Context())
	return u.UserID
}

// SubmitOrders checks and stores the caller's orders for a turn.
func (h *Handlers) SubmitOrders(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.OrdersRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Service.SubmitOrders(r.Context(), gameID, callerID(r), body.Turn, body.Text, body.Final != nil && *body.Final)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.OrdersResult{Accepted: res.Accepted, Forecast: res.Forecast, Errors: mistakesJSON(res.Errors)})
}

// CheckOrders answers the engine's verdict on orders without storing them.
func (h *Handlers) CheckOrders(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.OrdersCheckRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Service.CheckOrders(r.Context(), gameID, callerID(r), body.Text)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.OrdersResult{Accepted: res.Accepted, Forecast: res.Forecast, Errors: mistakesJSON(res.Errors)})
}

// SetAbsence excuses the caller's race for the coming turns.
func (h *Handlers) SetAbsence(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.AbsenceRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Service.SetAbsence(r.Context(), gameID, callerID(r), body.Turns)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.Absence{GameId: gameID, RaceName: a.RaceName, AbsentUntilTurn: a.UntilTurn})
}

// GetReadiness tells a player who has sent orders for the coming turn.
func (h *Handlers) GetReadiness(w http.ResponseWriter, r *http.Request, gameID string) {
	rd, err := h.Service.Readiness(r.Context(), gameID, callerID(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.Readiness{Turn: rd.Turn, Items: make([]apigen.RaceReadiness, len(rd.Races))}
	for i, race := range rd.Races {
		out.Items[i] = apigen.RaceReadiness{RaceName: race.RaceName, Submitted: race.Submitted, Final: race.Final}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// GetOrders reads back the caller's stored order set.
func (h *Handlers) GetOrders(w http.ResponseWriter, r *http.Request, gameID string, params apigen.GetOrdersParams) {
	turn := 0
	if params.Turn != nil {
		turn = *params.Turn
	}
	o, err := h.Service.Orders(r.Context(), gameID, callerID(r), turn)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.StoredOrders{
		Turn: o.Turn, Text: o.Text, Final: o.Final, Accepted: o.Accepted, Errors: mistakesJSON(o.Errors), SubmittedAt: o.SubmittedAt.UTC(),
	})
}

func mistakesJSON(ms []Mistake) []apigen.OrderMistake {
	out := make([]apigen.OrderMistake, len(ms))
	for i, m := range ms {
		out[i] = apigen.OrderMistake{Line: m.Line, Message: m.Message}
	}
	return out
}

// ListTurns lists a game's turns to anyone who may see the game, each
// with what the caller may read of it (Service.Turns).
func (h *Handlers) ListTurns(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListTurnsParams) {
	if _, err := h.Lobby.GetGame(r.Context(), callerID(r), gameID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.turns(w, r, gameID, callerID(r), p.Limit, p.Cursor)
}

// ListGameTurnsAdmin lists a game's turns as the public sees them
// (operators read no race's totals).
func (h *Handlers) ListGameTurnsAdmin(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListGameTurnsAdminParams) {
	if _, err := h.Lobby.GameForAdmin(r.Context(), gameID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.turns(w, r, gameID, "", p.Limit, p.Cursor)
}

// turns writes one page of a game's turns as readerID may see them.
func (h *Handlers) turns(w http.ResponseWriter, r *http.Request, gameID, readerID string, limitParam *int, cursor *string) {
	limit, after, err := httpx.Paging(limitParam, cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	turns, next, err := h.Service.TurnsPage(r.Context(), gameID, readerID, limit, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := turnListJSON{Items: make([]turnInfoJSON, len(turns)), NextCursor: httpx.NextCursor(next)}
	for i, t := range turns {
		sum := turnSummaryJSON{RacesAlive: t.RacesAlive, Finished: t.Finished, Races: make([]raceSummaryJSON, len(t.Races))}
		if t.Played {
			winners := t.Winners
			if winners == nil {
				winners = []string{} // a list, never null
			}
			sum.Winners = &winners
		}
		for j, rc := range t.Races {
			line := raceSummaryJSON{RaceID: rc.RaceID, Eliminated: rc.Eliminated}
			if tot := rc.Totals; tot != nil {
				line.Planets, line.Population, line.Industry, line.Ships = &tot.Planets, &tot.Population, &tot.Industry, &tot.Ships
				line.Production, line.Rank = &tot.Production, &tot.Rank
			}
			sum.Races[j] = line
		}
		out.Items[i] = turnInfoJSON{Turn: t.Turn, RanAt: t.RanAt.UTC(), Summary: sum}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// The turn list as api/openapi.yaml describes it (apigen.TurnList). Its
// own types, because the generated RaceSummary drops zero numbers from the
// caller's own line (its numbers are optional, being hidden on the others'):
// here a number is present exactly when the caller may read it.
type (
	turnListJSON struct {
		Items      []turnInfoJSON `json:"items"`
		NextCursor *string        `json:"next_cursor,omitempty"`
	}
	turnInfoJSON struct {
		Turn    int             `json:"turn"`
		RanAt   time.Time       `json:"ran_at"`
		Summary turnSummaryJSON `json:"summary"`
	}
	turnSummaryJSON struct {
		Races      []raceSummaryJSON `json:"races"`
		RacesAlive int               `json:"races_alive"`
		Finished   bool              `json:"finished"`
		Winners    *[]string         `json:"winners,omitempty"` // absent for public readers
	}
	raceSummaryJSON struct {
		RaceID     string   `json:"race_id"`
		Planets    *int     `json:"planets,omitempty"`
		Population *float64 `json:"population,omitempty"`
		Industry   *float64 `json:"industry,omitempty"`
		Ships      *int     `json:"ships,omitempty"`
		Eliminated bool     `json:"eliminated"`
		Production *float64 `json:"production,omitempty"`
		Rank       *int     `json:"rank,omitempty"`
	}
)

// GetLatestReport returns the caller's newest report.
func (h *Handlers) GetLatestReport(w http.ResponseWriter, r *http.Request, gameID string) {
	h.report(w, r, gameID, Latest)
}

// GetReport returns the caller's report of one turn.
func (h *Handlers) GetReport(w http.ResponseWriter, r *http.Request, gameID string, turn int) {
	h.report(w, r, gameID, turn)
}

func (h *Handlers) report(w http.ResponseWriter, r *http.Request, gameID string, turn int) {
	rep, err := h.Service.Reports(r.Context(), gameID, callerID(r), turn)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var data apigen.ReportData
	if err := json.Unmarshal(rep.Data, &data); err != nil {
		h.fail(w, r, fmt.Errorf("decode report %d of %s: %w", rep.Turn, gameID, err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.RaceReport{Turn: rep.Turn, RaceName: rep.RaceName, Text: rep.Text, Data: data})
}

// ForceNextTurnAdmin runs the next turn now and answers the game after it.
func (h *Handlers) ForceNextTurnAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	if _, err := h.Service.ForceNextTurn(r.Context(), gameID); err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := h.Lobby.GameForAdmin(r.Context(), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wanted, err := h.Lobby.SubstitutesWanted(r.Context(), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, lobby.GameJSON(g, wanted[gameID]))
}

// ListRuntimeRecords lists engine records for operators.
func (h *Handlers) ListRuntimeRecords(w http.ResponseWriter, r *http.Request, p apigen.ListRuntimeRecordsParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	recs, next, err := h.Service.RecordsPage(r.Context(), limit, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.RuntimeRecordList{Items: make([]apigen.RuntimeRecord, len(recs)), NextCursor: httpx.NextCursor(next)}
	for i, rec := range recs {
		out.Items[i] = recordJSON(rec)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// GetRuntimeRecordAdmin returns one game's engine record.
func (h *Handlers) GetRuntimeRecordAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	rec, err := h.Service.Record(r.Context(), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, recordJSON(rec))
}

func recordJSON(rec Record) apigen.RuntimeRecord {
	return apigen.RuntimeRecord{
		GameId: rec.GameID, Driver: rec.Driver, ContainerId: nonEmpty(rec.ContainerID), Endpoint: nonEmpty(rec.Endpoint),
		Status: apigen.RuntimeRecordStatus(rec.Status), CurrentTurn: rec.CurrentTurn, Paused: rec.Paused,
		SkipNextTick: rec.SkipNextTick, LastHealthAt: rec.LastHealthAt, LastError: nonEmpty(rec.LastError),
		CreatedAt: rec.CreatedAt.UTC(), UpdatedAt: rec.UpdatedAt.UTC(),
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
