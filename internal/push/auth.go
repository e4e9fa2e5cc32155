package push

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// authorize checks the "authorization: Bearer <token>" metadata. It returns
// a reason for logs ("" when authorized), never the token itself.
func (s *Server) authorize(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get("authorization")
	switch {
	case len(vals) == 0:
		return "missing authorization"
	case len(vals) > 1:
		return "several authorization values"
	}
	scheme, token, ok := strings.Cut(vals[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "not a bearer token"
	}
	// Comparing digests keeps the comparison constant-time in the token's
	// length as well as its content.
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(got[:], s.tokenHash[:]) != 1 {
		return "wrong token"
	}
	return ""
}

// authStream guards every streaming method.
func (s *Server) authStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if reason := s.authorize(ss.Context()); reason != "" {
		s.logger.WarnContext(ss.Context(), "push subscriber rejected",
			"method", info.FullMethod, "peer", peerAddr(ss.Context()), "reason", reason)
		return grpcStatus(ErrUnauthenticated)
	}
	return h(srv, ss)
}

// authUnary guards unary methods, should any be added to the server.
func (s *Server) authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	if reason := s.authorize(ctx); reason != "" {
		s.logger.WarnContext(ctx, "push call rejected",
			"method", info.FullMethod, "peer", peerAddr(ctx), "reason", reason)
		return nil, grpcStatus(ErrUnauthenticated)
	}
	return h(ctx, req)
}
