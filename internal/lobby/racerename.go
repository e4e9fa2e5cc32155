package lobby

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// The c order (a new race name) and the q order (quit) reach the lobby
// through the turn: the runtime asks before the turn whether a requested
// name may be taken, and tells after it what the engine did.

// ReserveRaceNameTx reserves name, which userID's race asks for with a c
// order, in the Race Name Directory before the turn runs, in tx. It returns
// why the name is refused ("" when reserved): the game's own name, a name
// the directory does not accept, or one another player holds. The engine
// then turns the c order into a mistake with that reason. Only a failure of
// the database is an error.
func (s *Service) ReserveRaceNameTx(ctx context.Context, tx pgx.Tx, gameID, gameName, userID, name string) (string, error) {
	if strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(gameName)) {
		return "a race cannot take the game's name", nil
	}
	_, err := s.names.Reserve(ctx, tx, userID, gameID, name)
	var e *errs.Error
	switch {
	case err == nil:
		return "", nil
	case errors.As(err, &e) && e.Code == errs.Conflict:
		return fmt.Sprintf("another player holds the name %s in the Race Name Directory", strings.ReplaceAll(name, " ", "_")), nil
	case errors.As(err, &e) && (e.Code == errs.InvalidArgument || e.Code == errs.FailedPrecondition):
		return "the Race Name Directory refuses the name: " + e.Message, nil
	}
	return "", err
}

// SetRaceNameTx makes name the race name of userID's active membership in
// gameID after a turn in which the engine renamed the race (or was asked
// to), in tx, and makes sure the directory's reservation says the same: it
// was reserved before the turn, or, when the engine refused the rename
// after all, goes back to the name the race keeps.
func (s *Service) SetRaceNameTx(ctx context.Context, tx pgx.Tx, gameID, userID, name string) error {
	if _, err := s.names.Reserve(ctx, tx, userID, gameID, name); err != nil {
		// The race plays under the engine's name whatever happens; a name
		// the directory cannot give back (taken in the moment between) is
		// logged for an operator rather than failing the turn.
		s.logger.WarnContext(ctx, "race name not reserved after the turn", "game_id", gameID, "user_id", userID, "name", name, "error", err)
	}
	q := lobbystore.New(tx)
	m, err := q.GetMembership(ctx, lobbystore.GetMembershipParams{GameID: gameID, UserID: userID})
	if postgres.IsNoRows(err) || (err == nil && m.RaceName == name) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = q.SetMembershipRaceName(ctx, lobbystore.SetMembershipRaceNameParams{GameID: gameID, UserID: userID, RaceName: name})
	if postgres.IsNoRows(err) {
		return nil
	}
	return err
}

// QuitRacesTx ends, in the turn's transaction, the memberships of the races
// whose players left the game with the q order: each becomes `left` and
// its race name is released. A race already not active is left alone.
func (s *Service) QuitRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string) error {
	for _, id := range userIDs {
		if _, _, err := s.endMembershipTx(ctx, tx, gameID, id, "left", "quit with the q order"); err != nil {
			return err
		}
	}
	return nil
}
