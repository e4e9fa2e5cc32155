package outbox

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config configures the relay. Zero fields take the defaults below
// (DefaultConfig returns them all); the composition root maps the
// BACKEND_OUTBOX_* variables onto it.
type Config struct {
	// NATSURL is the NATS server (or comma-separated servers). Empty
	// disables publishing: events are still recorded by PublishTx and kept
	// pending in outbox_events; nothing relays them. Default "".
	NATSURL string
	// Stream is the JetStream stream the relay publishes to; it is created
	// when missing (and left alone when it exists). Default "GALAXY_EVENTS".
	Stream string
	// SubjectPrefix is prepended to the event type: subject =
	// "<prefix>.<type>"; the stream is created with "<prefix>.>". Default
	// "galaxy.events".
	SubjectPrefix string
	// StreamReplicas is the replica count of a stream the relay creates.
	// Default 1.
	StreamReplicas int
	// StreamMaxAge bounds how long a stream the relay creates keeps
	// messages; consumers down for longer miss events. Default 168h (7 days).
	StreamMaxAge time.Duration
	// DuplicateWindow is the deduplication window of a stream the relay
	// creates. It must exceed MaxRetryDelay + PublishTimeout: a publish whose
	// ack was lost is retried within that time, and a retry inside the
	// window is dropped by JetStream on its Nats-Msg-Id instead of reaching
	// consumers twice. Default 2h.
	DuplicateWindow time.Duration

	// BatchSize is how many rows one claim locks and publishes. Default 100.
	BatchSize int
	// Workers is how many claim-publish-mark loops run at once, each with
	// its own transaction (and database connection) and one batch in flight.
	// Default 4.
	Workers int
	// PollInterval is how often an idle worker looks for due rows when no
	// notification woke it (retries coming due, missed notifications).
	// Default 1s.
	PollInterval time.Duration
	// ClaimInterval is the shortest time between the start of a claim that
	// did not fill its batch and the start of the relay's next claim. Events
	// committed in between go out together in that next claim instead of
	// one batch (one transaction, four round trips) each, which is what
	// keeps the relay cheap while producers commit one event at a time. It
	// delays an event by at most this much, and only while events keep
	// coming: the first event after a quiet spell is claimed at once, and a
	// backlog (full batches) is claimed without pause. It must not exceed
	// PollInterval. Default 5ms, or PollInterval if that is shorter.
	ClaimInterval time.Duration
	// PublishTimeout bounds the wait for one JetStream ack. Default 5s.
	PublishTimeout time.Duration
	// RetryBaseDelay is the delay before the first retry of a failed row;
	// it doubles per attempt, with jitter. Default 1s.
	RetryBaseDelay time.Duration
	// MaxRetryDelay caps the retry delay of a row. Default 5m.
	MaxRetryDelay time.Duration
	// ReconnectWait is the pause between attempts to reach NATS. Default 2s.
	ReconnectWait time.Duration

	// Retention is how long published rows are kept before deletion.
	// Pending rows are never deleted. Default 72h.
	Retention time.Duration
	// RetentionInterval is how often the deletion runs. Default 10m.
	RetentionInterval time.Duration
	// RetentionBatch bounds one DELETE, so retention never holds many locks
	// or one long transaction. Default 1000.
	RetentionBatch int
}

// DefaultConfig returns the defaults of every field (NATSURL empty).
func DefaultConfig() Config {
	return Config{
		Stream:            "GALAXY_EVENTS",
		SubjectPrefix:     "galaxy.events",
		StreamReplicas:    1,
		StreamMaxAge:      7 * 24 * time.Hour,
		DuplicateWindow:   2 * time.Hour,
		BatchSize:         100,
		Workers:           4,
		PollInterval:      time.Second,
		ClaimInterval:     5 * time.Millisecond,
		PublishTimeout:    5 * time.Second,
		RetryBaseDelay:    time.Second,
		MaxRetryDelay:     5 * time.Minute,
		ReconnectWait:     2 * time.Second,
		Retention:         72 * time.Hour,
		RetentionInterval: 10 * time.Minute,
		RetentionBatch:    1000,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.Stream, d.Stream)
	set(&c.SubjectPrefix, d.SubjectPrefix)
	setInt(&c.StreamReplicas, d.StreamReplicas)
	setDur(&c.StreamMaxAge, d.StreamMaxAge)
	setDur(&c.DuplicateWindow, d.DuplicateWindow)
	setInt(&c.BatchSize, d.BatchSize)
	setInt(&c.Workers, d.Workers)
	setDur(&c.PollInterval, d.PollInterval)
	setDur(&c.ClaimInterval, min(d.ClaimInterval, c.PollInterval))
	setDur(&c.PublishTimeout, d.PublishTimeout)
	setDur(&c.RetryBaseDelay, d.RetryBaseDelay)
	setDur(&c.MaxRetryDelay, d.MaxRetryDelay)
	setDur(&c.ReconnectWait, d.ReconnectWait)
	setDur(&c.Retention, d.Retention)
	setDur(&c.RetentionInterval, d.RetentionInterval)
	setInt(&c.RetentionBatch, d.RetentionBatch)
	return c
}

// Validate reports every invalid field of c (after defaults) at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if strings.ContainsAny(c.Stream, " .*>") {
		bad("stream %q must not contain spaces, dots or wildcards", c.Stream)
	}
	if !typePattern.MatchString(c.SubjectPrefix) {
		bad("subject prefix %q must be dot-separated lowercase tokens", c.SubjectPrefix)
	}
	if c.BatchSize < 1 || c.BatchSize > 10000 {
		bad("batch size %d must be between 1 and 10000", c.BatchSize)
	}
	if c.Workers < 1 || c.Workers > 256 {
		bad("workers %d must be between 1 and 256", c.Workers)
	}
	if c.RetentionBatch < 1 {
		bad("retention batch %d must be positive", c.RetentionBatch)
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{
		{"stream max age", c.StreamMaxAge}, {"duplicate window", c.DuplicateWindow}, {"poll interval", c.PollInterval},
		{"claim interval", c.ClaimInterval},
		{"publish timeout", c.PublishTimeout}, {"retry base delay", c.RetryBaseDelay}, {"max retry delay", c.MaxRetryDelay},
		{"reconnect wait", c.ReconnectWait}, {"retention", c.Retention}, {"retention interval", c.RetentionInterval},
	} {
		if f.d < 0 {
			bad("%s %s must not be negative", f.name, f.d)
		}
	}
	if c.ClaimInterval > c.PollInterval {
		bad("claim interval %s must not exceed the poll interval %s", c.ClaimInterval, c.PollInterval)
	}
	if c.MaxRetryDelay < c.RetryBaseDelay {
		bad("max retry delay %s is shorter than the retry base delay %s", c.MaxRetryDelay, c.RetryBaseDelay)
	}
	if c.DuplicateWindow <= c.MaxRetryDelay+c.PublishTimeout {
		bad("duplicate window %s must exceed max retry delay + publish timeout (%s), or retried publishes reach consumers twice",
			c.DuplicateWindow, c.MaxRetryDelay+c.PublishTimeout)
	}
	if c.StreamMaxAge > 0 && c.StreamMaxAge < c.DuplicateWindow {
		bad("stream max age %s is shorter than the duplicate window %s", c.StreamMaxAge, c.DuplicateWindow)
	}
	if len(problems) > 0 {
		return errors.New("outbox config: " + strings.Join(problems, "; "))
	}
	return nil
}
