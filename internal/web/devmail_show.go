package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// devMailShown is how many recent mails /dev/mail shows.
const devMailShown = 25

type devMailPage struct {
	Mails []apiclient.MailDelivery
}

// DevMailShow is the stub mailbox of `galaxy dev`: every recorded mail,
// newest first, sign-in codes readable, so that a newcomer can sign in
// without an SMTP server or admin calls. It reads the backend's internal
// mail API with the internal token; it is only routed in dev.
func (u *UI) DevMailShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	internal := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+u.internal)
		return nil
	}
	limit := devMailShown
	list, err := u.api.ListMailDeliveriesInternalWithResponse(ctx, &apiclient.ListMailDeliveriesInternalParams{Limit: &limit}, internal)
	if err := check(list, err); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	page := &devMailPage{Mails: make([]apiclient.MailDelivery, len(list.JSON200.Items))}
	var wg sync.WaitGroup
	for i, d := range list.JSON200.Items {
		wg.Go(func() {
			resp, err := u.api.GetMailDeliveryInternalWithResponse(ctx, d.DeliveryId, internal)
			if check(resp, err) == nil {
				page.Mails[i] = *resp.JSON200
			}
		})
	}
	wg.Wait()
	v := (*Session)(nil).view("Dev mailbox", "devmail", page)
	u.render(w, r, http.StatusOK, "devmail", v)
}
