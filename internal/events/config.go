package events

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config configures the command intake. Zero fields take the defaults below
// (DefaultConfig returns them all).
type Config struct {
	// NATSURL is the NATS server (or comma-separated servers). Empty
	// disables the intake. Default "".
	NATSURL string
	// Stream holds the commands; it is created when missing (and left alone
	// when it exists). Default "GALAXY_COMMANDS".
	Stream string
	// StreamSubjects are the subjects of a stream the intake creates.
	// Default ["galaxy.commands.>"].
	StreamSubjects []string
	// StreamMaxAge bounds how long a stream the intake creates keeps
	// unacknowledged commands. Default 168h (7 days).
	StreamMaxAge time.Duration
	// Subject carries mail commands. Default "galaxy.commands.mail.send".
	Subject string
	// Durable names the pull consumer; replicas share it and so share the
	// work. Default "galaxy-backend-mail-send".
	Durable string
	// MaxInFlight bounds the commands one process handles at once (and
	// fetches ahead). Default 16.
	MaxInFlight int
	// AckWait is how long JetStream waits for an ack before redelivering a
	// command; handling one is cut off before it runs out. Default 30s.
	AckWait time.Duration
	// FetchWait is how long one pull waits for commands; Stop may wait for
	// the current pull that long. Default 1s.
	FetchWait time.Duration
	// RetryBaseDelay is the redelivery delay after the first failed
	// handling; it doubles per delivery, with jitter. Default 1s.
	RetryBaseDelay time.Duration
	// MaxRetryDelay caps the redelivery delay. Default 1m.
	MaxRetryDelay time.Duration
	// ReconnectWait is the pause between attempts to reach NATS. Default 2s.
	ReconnectWait time.Duration
}

// DefaultConfig returns the defaults of every field (NATSURL empty).
func DefaultConfig() Config {
	return Config{
		Stream:         "GALAXY_COMMANDS",
		StreamSubjects: []string{"galaxy.commands.>"},
		StreamMaxAge:   7 * 24 * time.Hour,
		Subject:        "galaxy.commands.mail.send",
		Durable:        "galaxy-backend-mail-send",
		MaxInFlight:    16,
		AckWait:        30 * time.Second,
		FetchWait:      time.Second,
		RetryBaseDelay: time.Second,
		MaxRetryDelay:  time.Minute,
		ReconnectWait:  2 * time.Second,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Stream == "" {
		c.Stream = d.Stream
	}
	if len(c.StreamSubjects) == 0 {
		c.StreamSubjects = d.StreamSubjects
	}
	if c.Subject == "" {
		c.Subject = d.Subject
	}
	if c.Durable == "" {
		c.Durable = d.Durable
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = d.MaxInFlight
	}
	for _, f := range []struct{ v, def *time.Duration }{
		{&c.StreamMaxAge, &d.StreamMaxAge}, {&c.AckWait, &d.AckWait}, {&c.FetchWait, &d.FetchWait},
		{&c.RetryBaseDelay, &d.RetryBaseDelay}, {&c.MaxRetryDelay, &d.MaxRetryDelay}, {&c.ReconnectWait, &d.ReconnectWait},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
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
	if strings.ContainsAny(c.Durable, " .*>") {
		bad("durable %q must not contain spaces, dots or wildcards", c.Durable)
	}
	if c.Subject == "" || strings.ContainsAny(c.Subject, " *>") {
		bad("subject %q must be a literal subject", c.Subject)
	}
	if c.MaxInFlight < 1 || c.MaxInFlight > 10000 {
		bad("max in flight %d must be between 1 and 10000", c.MaxInFlight)
	}
	if c.AckWait < time.Second {
		bad("ack wait %s must be at least 1s", c.AckWait)
	}
	if c.FetchWait < 10*time.Millisecond || c.FetchWait >= c.AckWait {
		bad("fetch wait %s must be at least 10ms and shorter than the ack wait", c.FetchWait)
	}
	if c.RetryBaseDelay < 0 || c.MaxRetryDelay < c.RetryBaseDelay {
		bad("retry delays %s..%s must be positive and increasing", c.RetryBaseDelay, c.MaxRetryDelay)
	}
	if c.ReconnectWait < 0 || c.StreamMaxAge < 0 {
		bad("durations must not be negative")
	}
	if len(problems) > 0 {
		return errors.New("command intake config: " + strings.Join(problems, "; "))
	}
	return nil
}
