package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Default per-call timeouts of the Client. A turn runs the whole galaxy and
// writes the state durably, so it gets far more time than a check.
const (
	DefaultHealthTimeout = 5 * time.Second
	DefaultCheckTimeout  = 30 * time.Second
	DefaultInitTimeout   = 2 * time.Minute
	DefaultTurnTimeout   = 10 * time.Minute
)

// maxResponseBytes bounds what the client reads from an engine: reports of a
// big game are large, but an endless body must not exhaust the backend.
const maxResponseBytes = 256 << 20

// Client calls one engine. It is safe for concurrent use.
//
// Every method returns an *errs.Error on failure: the engine's own error code
// when it answered with the contract's error format (a 409 conflict stays
// errs.Conflict, with its details such as current_turn); errs.Unavailable,
// with the cause in Err, for transport failures, timeouts and 5xx answers
// (all worth a retry); errs.Internal for answers that cannot be decoded.
type Client struct {
	base   *url.URL
	token  string
	hc     *http.Client
	health time.Duration
	check  time.Duration
	init   time.Duration
	turn   time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the underlying HTTP client (transport, proxies). Its own
// Timeout, if any, applies on top of the per-call timeouts.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithHealthTimeout bounds Healthz calls; zero or less means no bound beyond ctx.
func WithHealthTimeout(d time.Duration) Option { return func(c *Client) { c.health = d } }

// WithCheckTimeout bounds CheckOrders calls; zero or less means no bound beyond ctx.
func WithCheckTimeout(d time.Duration) Option { return func(c *Client) { c.check = d } }

// WithInitTimeout bounds Init calls; zero or less means no bound beyond ctx.
func WithInitTimeout(d time.Duration) Option { return func(c *Client) { c.init = d } }

// WithTurnTimeout bounds Turn calls; zero or less means no bound beyond ctx.
func WithTurnTimeout(d time.Duration) Option { return func(c *Client) { c.turn = d } }

// NewClient returns a client for the engine at baseURL (e.g.
// "http://galaxy-game-42:8090") authenticating with the per-game token.
func NewClient(baseURL, token string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("engine client: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("engine client: base URL %q must be http(s)://host[:port]", baseURL)
	}
	c := &Client{
		base:   u,
		token:  token,
		hc:     http.DefaultClient,
		health: DefaultHealthTimeout,
		check:  DefaultCheckTimeout,
		init:   DefaultInitTimeout,
		turn:   DefaultTurnTimeout,
	}
	for _, o := range opts {
		o(c)
	}
	if c.hc == nil {
		c.hc = http.DefaultClient
	}
	return c, nil
}

// Healthz returns nil when the engine's listener answers 200.
func (c *Client) Healthz(ctx context.Context) error {
	return c.call(ctx, c.health, http.MethodGet, "/healthz", nil, nil)
}

// Init initialises the engine with a new galaxy, or restores req.Snapshot.
// Errors: errs.Conflict when the engine already holds another state (details:
// current_turn, maybe game_id); errs.InvalidArgument for a refused request.
func (c *Client) Init(ctx context.Context, req InitRequest) (*InitResponse, error) {
	var resp InitResponse
	if err := c.call(ctx, c.init, http.MethodPost, "/admin/init", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// Turn runs turn req.Turn, or returns its stored result when it is the turn
// the engine ran last. Errors: errs.Conflict for any other turn number
// (details: current_turn, see ConflictTurn); errs.FailedPrecondition before
// init or after the game finished; errs.InvalidArgument for orders of an
// unknown race.
func (c *Client) Turn(ctx context.Context, req TurnRequest) (*TurnResponse, error) {
	var resp TurnResponse
	if err := c.call(ctx, c.turn, http.MethodPost, "/admin/turn", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// CheckOrders checks a race's orders against the current turn. Errors:
// errs.FailedPrecondition before init; errs.InvalidArgument for an unknown race.
func (c *Client) CheckOrders(ctx context.Context, raceID, text string) (*CheckResponse, error) {
	var resp CheckResponse
	if err := c.call(ctx, c.check, http.MethodPost, "/orders/check", CheckRequest{RaceID: raceID, Text: text}, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ConflictTurn returns the engine's current turn carried by a conflict or
// failed-precondition error from Turn or Init, so the caller can resynchronise.
func ConflictTurn(err error) (int, bool) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	switch v := e.Details["current_turn"].(type) {
	case float64: // decoded from JSON
		return int(v), true
	case int: // built in-process
		return v, true
	}
	return 0, false
}

// call does one request: in is encoded as the JSON body when not nil, a 200
// body is decoded into out when not nil.
func (c *Client) call(ctx context.Context, timeout time.Duration, method, path string, in, out any) error {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return errs.Wrap(err, errs.InvalidArgument, "encode %s request", path)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return errs.Wrap(err, errs.Internal, "build %s request", path)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return errs.Wrap(err, errs.Unavailable, "engine %s unreachable", path)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return errs.Wrap(err, errs.Unavailable, "engine %s: read response", path)
	}
	if len(raw) > maxResponseBytes {
		return errs.E(errs.Internal, "engine %s: response exceeds %d bytes", path, maxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return responseError(path, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return errs.Wrap(err, errs.Internal, "engine %s: undecodable response", path)
	}
	return nil
}

// responseError maps a non-200 answer. 5xx answers are Unavailable whatever
// they say (the engine's own error is kept as the cause); other answers keep
// the engine's code when it is one of the contract's.
func responseError(path string, status int, raw []byte) error {
	var body ErrorBody
	decErr := json.Unmarshal(raw, &body)
	engineErr := &errs.Error{Code: errs.Code(body.Error.Code), Message: body.Error.Message, Details: body.Error.Details}
	if status >= 500 {
		cause := fmt.Errorf("HTTP %d: %s", status, snippet(raw))
		if decErr == nil && engineErr.Code.Known() {
			cause = fmt.Errorf("HTTP %d: %w", status, engineErr)
		}
		return &errs.Error{Code: errs.Unavailable, Message: fmt.Sprintf("engine %s answered %d", path, status), Err: cause}
	}
	if decErr != nil || !engineErr.Code.Known() {
		return errs.Wrap(fmt.Errorf("HTTP %d: %s", status, snippet(raw)), errs.Internal, "engine %s: undecodable error response", path)
	}
	return engineErr
}

// snippet shortens a body for an error message.
func snippet(raw []byte) string {
	const n = 200
	if len(raw) > n {
		return string(raw[:n]) + "..."
	}
	return string(raw)
}
