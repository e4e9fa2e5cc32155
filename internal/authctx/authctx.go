// Package authctx carries the authenticated caller through a request's
// context, so domain handlers know who calls without depending on the auth
// module that authenticated them.
package authctx

import "context"

// User is an authenticated player.
type User struct {
	UserID    string
	SessionID string
}

// Admin is an authenticated operator.
type Admin struct {
	AdminID   string
	Username  string
	SessionID string
}

type userKey struct{}
type adminKey struct{}

// WithUser returns ctx carrying u.
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the authenticated user of ctx.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey{}).(User)
	return u, ok
}

// WithAdmin returns ctx carrying a.
func WithAdmin(ctx context.Context, a Admin) context.Context {
	return context.WithValue(ctx, adminKey{}, a)
}

// AdminFrom returns the authenticated admin of ctx.
func AdminFrom(ctx context.Context) (Admin, bool) {
	a, ok := ctx.Value(adminKey{}).(Admin)
	return a, ok
}
