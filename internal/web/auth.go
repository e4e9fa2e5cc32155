package web

import (
	"context"
	"net/http"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

const (
	msgSessionEnded = "Your session has ended (signed out, expired, or revoked). Please sign in again."
	msgBlocked      = "This account is blocked. Contact the game's operators if you think this is a mistake."
	msgSignInFirst  = "Please sign in first."
)

// Session is the signed-in player of a request.
type Session struct {
	// Token is the backend session token.
	Token string
	// Me is the player's profile, read at the start of the request.
	Me *apiclient.UserProfile
	// Loc is the player's time zone.
	Loc *time.Location
	// Unread and UnreadMore feed the layout's badge.
	Unread     int
	UnreadMore bool
}

// auth adds the player's bearer token to a backend call.
func (s *Session) auth() apiclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+s.Token)
		return nil
	}
}

// view starts a page view for this player; s may be nil on public pages.
func (s *Session) view(title, nav string, data any) *View {
	v := &View{Title: title, Nav: nav, Data: data, Loc: time.UTC}
	if s != nil {
		v.Me, v.Loc, v.Unread, v.UnreadMore = s.Me, s.Loc, s.Unread, s.UnreadMore
	}
	return v
}

// signedIn wraps a page that needs a player: it reads the profile (which
// proves the session is alive) and bounces to /signin when it is not.
func (u *UI) signedIn(h func(w http.ResponseWriter, r *http.Request, s *Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := session.Token(r.Context())
		if token == "" {
			u.redirect(w, r, "/signin?next="+safeNext(r.URL.RequestURI()), msgSignInFirst)
			return
		}
		s := &Session{Token: token, Loc: time.UTC}
		// The badge's count is read beside the profile, not after it.
		unread := make(chan struct{})
		go func() {
			defer close(unread)
			s.Unread, s.UnreadMore = u.unreadCount(r.Context(), s)
		}()
		resp, err := u.api.GetMeWithResponse(r.Context(), s.auth())
		<-unread
		if err := check(resp, err); err != nil {
			if e, ok := asAPI(err); ok && e.Status == http.StatusUnauthorized {
				u.bounce(w, r, msgSessionEnded)
				return
			}
			u.fail(w, r, nil, err)
			return
		}
		s.Me = resp.JSON200
		if s.Me.Status == apiclient.UserProfileStatusBlocked {
			u.bounce(w, r, msgBlocked)
			return
		}
		if tz := s.Me.Timezone; tz != "" {
			if loc, err := time.LoadLocation(tz); err == nil {
				s.Loc = loc
			}
		}
		h(w, r, s)
	}
}

// bounce ends the browser's session and sends it to sign-in with msg.
func (u *UI) bounce(w http.ResponseWriter, r *http.Request, msg string) {
	if t := session.Token(r.Context()); t != "" && u.resolver != nil {
		u.resolver.Forget(t)
	}
	u.cookies.Clear(w)
	u.redirect(w, r, "/signin", msg)
}

// unreadCountCap bounds the badge's count to one page of the API.
const unreadCountCap = 99

// unreadCount counts unread notifications, up to unreadCountCap; a failure
// only hides the badge.
func (u *UI) unreadCount(ctx context.Context, s *Session) (int, bool) {
	yes, limit := true, unreadCountCap
	resp, err := u.api.ListNotificationsWithResponse(ctx, &apiclient.ListNotificationsParams{Unread: &yes, Limit: &limit}, s.auth())
	if check(resp, err) != nil || resp.JSON200 == nil {
		return 0, false
	}
	return len(resp.JSON200.Items), resp.JSON200.NextCursor != nil
}
