package push

import (
	"errors"
	"fmt"
	"time"
)

// Config is the push stream's configuration. The composition root fills it
// from BACKEND_GRPC_PUSH_ADDR, BACKEND_PUSH_TOKEN, BACKEND_PUSH_BUFFER_SIZE,
// BACKEND_GRPC_PUSH_SHUTDOWN_TIMEOUT and friends; zero fields take the
// defaults of DefaultConfig, except Token, which has none.
type Config struct {
	// Addr is the gRPC listen address.
	Addr string
	// Token is the shared bearer token gateways present; required, because
	// the stream carries every user's events.
	Token string
	// BufferSize is how many recent events the ring keeps for resuming
	// subscribers: it bounds how long a gateway may be away without a resync.
	BufferSize int
	// SubscriberQueue is how many live events may wait for one subscriber's
	// stream; a subscriber that falls further behind is disconnected rather
	// than allowed to slow down publishers.
	SubscriberQueue int
	// MaxConcurrentStreams caps streams per gateway connection.
	MaxConcurrentStreams uint32
	// ShutdownTimeout bounds Stop when the caller's context has no earlier
	// deadline: flushing published events to subscribers, then draining.
	ShutdownTimeout time.Duration
	// KeepaliveTime is how long a connection may be idle before the server
	// pings it, so that dead gateways are noticed and their streams freed.
	KeepaliveTime time.Duration
	// KeepaliveTimeout is how long the server waits for the ping's answer
	// before closing the connection.
	KeepaliveTimeout time.Duration
}

// DefaultConfig returns the defaults (Token is left empty: it has no safe
// default).
func DefaultConfig() Config {
	return Config{
		Addr:                 ":8081",
		BufferSize:           4096,
		SubscriberQueue:      1024,
		MaxConcurrentStreams: 100,
		ShutdownTimeout:      10 * time.Second,
		KeepaliveTime:        30 * time.Second,
		KeepaliveTimeout:     10 * time.Second,
	}
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.BufferSize == 0 {
		c.BufferSize = d.BufferSize
	}
	if c.SubscriberQueue == 0 {
		c.SubscriberQueue = d.SubscriberQueue
	}
	if c.MaxConcurrentStreams == 0 {
		c.MaxConcurrentStreams = d.MaxConcurrentStreams
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = d.ShutdownTimeout
	}
	if c.KeepaliveTime == 0 {
		c.KeepaliveTime = d.KeepaliveTime
	}
	if c.KeepaliveTimeout == 0 {
		c.KeepaliveTimeout = d.KeepaliveTimeout
	}
	return c
}

// Validate reports every invalid field of c (after defaults) at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Token == "" {
		errs = append(errs, errors.New("push: token is required"))
	}
	if c.BufferSize < 1 {
		errs = append(errs, fmt.Errorf("push: buffer size must be positive, got %d", c.BufferSize))
	}
	if c.SubscriberQueue < 1 {
		errs = append(errs, fmt.Errorf("push: subscriber queue must be positive, got %d", c.SubscriberQueue))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{
		{"shutdown timeout", c.ShutdownTimeout},
		{"keepalive time", c.KeepaliveTime},
		{"keepalive timeout", c.KeepaliveTimeout},
	} {
		if d.d < 0 {
			errs = append(errs, fmt.Errorf("push: %s must not be negative, got %s", d.name, d.d))
		}
	}
	return errors.Join(errs...)
}
