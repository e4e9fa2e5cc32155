package racenames_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// TestConcurrentReserve has many users try to reserve names that look
// alike, each in its own transaction, all at once. The database, not the
// Go code, must decide: exactly one user holds the key afterwards and every
// other one got a conflict.
func TestConcurrentReserve(t *testing.T) {
	t.Parallel()
	const users = 16
	rounds := []struct {
		behaviour string
		key       string
		names     []string
	}{
		{"Vogons and its look-alikes", "vogons", []string{
			"Vogons", "VOGONS", "V0gons", "Vоgоns", "Vοgοns", "Ѵogons", "ＶＯＧＯＮＳ", "Vogon5",
		}},
		{"Klingons and its look-alikes", "kiingons", []string{
			"Klingons", "KLINGONS", "K1ingons", "Kӏingons", "Kιingons", "KI1NGONS", "Kłingons", "Kiingons",
		}},
		{"Daleks and its look-alikes", "daieks", []string{
			"Daleks", "DALEKS", "Da1eks", "Dаlеks", "DΑLΕKS", "Dalek5", "Daieks", "ꓓꓮꓡꓰꓗꓢ",
		}},
	}
	for _, round := range rounds {
		t.Run(round.behaviour+": exactly one user wins", func(t *testing.T) {
			t.Parallel()
			ids := make([]string, users)
			for i := range ids {
				ids[i] = fmt.Sprintf("u%02d", i)
			}
			e := newEnvWithPool(t, users+4, ids...)

			start := make(chan struct{})
			errsOut := make([]error, users)
			var wg sync.WaitGroup
			for i := range users {
				wg.Go(func() {
					// Half the users compete inside one game, half from
					// games of their own.
					game := "shared"
					if i%2 == 1 {
						game = fmt.Sprintf("own%02d", i)
					}
					name := round.names[i%len(round.names)]
					<-start
					errsOut[i] = postgres.InTx(context.Background(), e.pool, func(ctx context.Context, tx pgx.Tx) error {
						if _, err := e.dir.Reserve(ctx, tx, ids[i], game, name); err != nil {
							return err
						}
						// Hold the transaction open a moment so that the
						// others pile up on the key.
						time.Sleep(5 * time.Millisecond)
						return nil
					})
				})
			}
			close(start)
			wg.Wait()

			winner := ""
			for i, err := range errsOut {
				switch {
				case err == nil:
					if winner != "" {
						t.Fatalf("both %s and %s reserved %q", winner, ids[i], round.key)
					}
					winner = ids[i]
				case errs.Is(err, errs.Conflict):
				default:
					t.Fatalf("%s: unexpected error %v", ids[i], err)
				}
			}
			if winner == "" {
				t.Fatal("nobody won")
			}
			if holder := e.keyHolder(round.key); holder != winner {
				t.Fatalf("key held by %q, winner was %q", holder, winner)
			}
			var bindings int
			if err := e.pool.QueryRow(context.Background(),
				`SELECT count(*) FROM race_names WHERE canonical_key = $1`, round.key).Scan(&bindings); err != nil {
				t.Fatal(err)
			}
			if bindings != 1 {
				t.Fatalf("%d bindings of %q, want 1", bindings, round.key)
			}
			e.checkInvariants()
		})
	}
}

// TestConcurrentChurn runs reserves, renames, releases, game cancels,
// finishes, registrations, block cascades and the expirer at random against
// a few names,
// and checks that only expected errors occur, that every binding's holder
// is its key's holder, and that no key row outlives its last binding once
// the expirer has swept.
func TestConcurrentChurn(t *testing.T) {
	t.Parallel()
	const (
		workers = 8
		steps   = 60
	)
	names := []string{"Vogons", "V0GONS", "Klingons", "K1ingons", "Daleks", "Dаleks", "Cylons", "CYL0NS"}
	ids := make([]string, workers)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	e := newEnvWithPool(t, workers+4, ids...)
	db := &postgres.DB{Pool: e.pool}

	var (
		mu         sync.Mutex
		unexpected []error
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			user := ids[w]
			for range steps {
				game := fmt.Sprintf("g%d", rng.IntN(3))
				var op string
				var err error
				switch n := rng.IntN(22); {
				case n < 11:
					op = "reserve"
					_, err = e.reserve(user, game, names[rng.IntN(len(names))])
				case n < 15:
					op = "release"
					err = e.release(user, game)
				case n < 16:
					op = "release game"
					err = e.tx(func(tx pgx.Tx) error { return e.dir.ReleaseGame(context.Background(), tx, game) })
				case n < 17:
					op = "release all"
					err = e.tx(func(tx pgx.Tx) error {
						_, err := e.dir.ReleaseAllByUser(context.Background(), tx, user)
						return err
					})
				case n < 19:
					op = "mark pending"
					// Half the games finished long ago, so that their
					// pending registrations have lapsed at once.
					finished := e.now
					if rng.IntN(2) == 0 {
						finished = finished.Add(-racenames.PendingRegistrationWindow - time.Hour)
					}
					err = e.tx(func(tx pgx.Tx) error {
						return e.dir.MarkPending(context.Background(), tx, game, finished, []string{user, ids[rng.IntN(workers)]})
					})
				case n < 21:
					op = "register"
					_, err = e.register(user, names[rng.IntN(len(names))])
				default:
					op = "expire"
					_, err = e.dir.ExpirePending(context.Background(), db, e.now, 3)
				}
				mu.Lock()
				switch errs.CodeOf(err) {
				case "", errs.Conflict, errs.FailedPrecondition:
				default:
					// Unavailable too: writers take their key locks in one
					// sorted step, so PostgreSQL should never have to break
					// a deadlock between them.
					unexpected = append(unexpected, fmt.Errorf("%s: %w", op, err))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(unexpected) > 0 {
		t.Fatalf("unexpected errors: %v", unexpected)
	}
	// Key rows left without bindings are allowed (they hold nothing) but
	// the expirer must sweep them.
	if _, err := e.dir.ExpirePending(context.Background(), db, e.now, 5); err != nil {
		t.Fatal(err)
	}
	e.checkInvariants()
}
