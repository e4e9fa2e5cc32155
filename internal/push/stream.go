package push

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// handler implements pushpb.PushServer.
type handler struct {
	pushpb.UnimplementedPushServer
	s *Server
}

// SubscribePush streams one subscription.
//
// Sending happens in a separate goroutine (a "pump"), and this goroutine
// only waits for the end. The split is what lets a subscriber that never
// reads be cut off: its pump is stuck in Send (HTTP/2 flow control), which
// only the end of the stream can unblock, and the stream only ends when this
// handler returns.
func (h *handler) SubscribePush(req *pushpb.SubscribePushRequest, stream grpc.ServerStreamingServer[pushpb.PushEvent]) error {
	s := h.s
	ctx := stream.Context()
	sub, ok := s.subscribe(req.GetEpoch(), req.GetCursor())
	if !ok {
		return grpcStatus(ErrShuttingDown)
	}
	defer s.unsubscribe(sub)

	begin := time.Now()
	log := s.logger.With("subscription", sub.ID(), "peer", peerAddr(ctx))
	backlog := sub.Backlog()
	resumeFrom := req.GetCursor()
	if sub.Resync() {
		resumeFrom = backlog[0].Cursor
	}
	log.InfoContext(ctx, "push subscriber connected",
		"requested_epoch", req.GetEpoch(), "requested_cursor", req.GetCursor(),
		"epoch", sub.Epoch(), "resync", sub.Resync(), "resume_cursor", resumeFrom,
		"replay", replayLen(sub))
	// Headers now, so the gateway knows it is subscribed even when there is
	// nothing to replay yet.
	if err := stream.SendHeader(metadata.MD{}); err != nil {
		log.InfoContext(ctx, "push subscriber disconnected", "reason", "client_gone", "error", err)
		return err
	}

	p := &pump{stream: stream, sub: sub}
	sent := make(chan error, 1)
	s.pumps.Add(1)
	go func() {
		defer s.pumps.Done()
		sent <- p.run()
	}()

	var err error
	select {
	case err = <-sent:
		if err == nil {
			// Live closed and everything queued was sent: the server is
			// stopping (or the subscription was closed).
			err = sub.Err()
		}
	case <-sub.Dropped():
		err = ErrTooSlow
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	log.InfoContext(ctx, "push subscriber disconnected",
		"reason", endReason(err), "sent", p.sent.Load(), "last_cursor", p.last.Load(),
		"duration", time.Since(begin).String())
	return grpcStatus(err)
}

// replayLen is how many buffered events a subscription replays.
func replayLen(sub *Subscription) int {
	if sub.Resync() {
		return 0
	}
	return len(sub.Backlog())
}

// pump sends a subscription's records to its stream.
type pump struct {
	stream grpc.ServerStreamingServer[pushpb.PushEvent]
	sub    *Subscription
	sent   atomic.Int64  // records sent, for logs
	last   atomic.Uint64 // cursor of the last record sent, for logs
}

// run sends the backlog, then live records until Live is closed. It returns
// nil once Live is closed and drained, ErrTooSlow as soon as the
// subscription is dropped, or the error of a failed Send.
func (p *pump) run() error {
	for _, r := range p.sub.Backlog() {
		if err := p.send(r); err != nil {
			return err
		}
	}
	for r := range p.sub.Live() {
		if err := p.send(r); err != nil {
			return err
		}
	}
	return nil
}

func (p *pump) send(r Record) error {
	select {
	case <-p.sub.Dropped():
		// Do not keep writing to a stream that is being ended.
		return ErrTooSlow
	default:
	}
	if err := p.stream.Send(toProto(p.sub.Epoch(), r)); err != nil {
		return err
	}
	p.sent.Add(1)
	p.last.Store(r.Cursor)
	return nil
}

// endReason names why a subscription ended, for logs.
func endReason(err error) string {
	switch {
	case errors.Is(err, ErrTooSlow):
		return "too_slow"
	case errors.Is(err, ErrShuttingDown):
		return "shutdown"
	case errors.Is(err, ErrClosed):
		return "closed"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "client_gone"
	default:
		return "send_failed"
	}
}

// grpcStatus turns err into a gRPC status: *errs.Error through the code
// table, context errors as CANCELED or DEADLINE_EXCEEDED, and statuses (from
// a failed Send) as they are.
func grpcStatus(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return status.Error(e.Code.GRPCCode(), e.Message)
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.FromContextError(err).Err()
}

// peerAddr is the remote address of the caller, for logs.
func peerAddr(ctx context.Context) string {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}
