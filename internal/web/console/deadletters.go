package console

import (
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

type deadLettersPage struct {
	Items []apiclient.NotificationDeadLetter
	Next  string
	Done  string
}

// deadLetters lists the notification routes that gave up, newest first.
func (c *Console) deadLetters(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	params := &apiclient.ListNotificationDeadLettersParams{Limit: &pageSize}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	resp, err := c.api.ListNotificationDeadLettersWithResponse(r.Context(), params, auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	p := &deadLettersPage{Items: resp.JSON200.Items, Done: q.Get("done")}
	if n := resp.JSON200.NextCursor; n != nil {
		p.Next = url.Values{"cursor": {*n}}.Encode()
	}
	c.render(w, http.StatusOK, "deadletters", &View{Title: "Dead letters", SignedIn: true, Nav: "deadletters", Data: p})
}

// deadLetterReplay queues a dead route for delivery again.
func (c *Console) deadLetterReplay(w http.ResponseWriter, r *http.Request, token string) {
	id := r.PathValue("id")
	resp, err := c.api.ReplayNotificationDeadLetterWithResponse(r.Context(), id, auth(token))
	if err := web.Check(resp, err); err != nil {
		if msg, ok := refusal(err); ok {
			http.Redirect(w, r, "/admin/dead-letters?done="+url.QueryEscape("Not replayed: "+msg), http.StatusSeeOther)
			return
		}
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/dead-letters?done="+url.QueryEscape("Route "+id+" queued again."), http.StatusSeeOther)
}
