package console

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/galaxy-platform/galaxy/internal/web"
)

// overviewPage is what an operator looks at first.
type overviewPage struct {
	Ready       bool
	Sections    []countSection
	DeadLetters int64
	OutboxWait  string
	OutboxCount int64
}

// countSection is one domain's rows by status.
type countSection struct {
	Title string
	Rows  []countRow
	Total int64
}

type countRow struct {
	Status string
	Count  int64
	// Link lists the rows of that status ("" when the console has no list).
	Link string
}

// section orders counts by status; list, when set, is the console list a
// status filters (status=…).
func section(title, list string, counts map[string]int64) countSection {
	s := countSection{Title: title}
	for _, st := range slices.SortedFunc(maps.Keys(counts), func(a, b string) int { return cmp.Compare(a, b) }) {
		row := countRow{Status: st, Count: counts[st]}
		if list != "" {
			row.Link = list + "?status=" + url.QueryEscape(st)
		}
		s.Rows = append(s.Rows, row)
		s.Total += counts[st]
	}
	return s
}

// overview shows the platform's figures and whether the backend is ready.
func (c *Console) overview(w http.ResponseWriter, r *http.Request, token string) {
	resp, err := c.api.GetAdminOverviewWithResponse(r.Context(), auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	o := resp.JSON200
	p := &overviewPage{
		Sections: []countSection{section("Games", "/admin/games", o.Games), section("Engines", "", o.Engines),
			section("Mail deliveries", "/admin/mail", o.Mail), section("Inbound mail", "", o.InboundMail)},
		DeadLetters: o.NotificationDeadLetters, OutboxCount: o.OutboxPending,
		OutboxWait: (time.Duration(float64(o.OutboxOldestPendingSeconds) * float64(time.Second))).Round(time.Second).String(),
	}
	ready, err := c.api.GetReadyzWithResponse(r.Context())
	p.Ready = err == nil && ready.StatusCode() == http.StatusOK
	c.render(w, http.StatusOK, "overview", &View{Title: "Overview", SignedIn: true, Nav: "overview", Data: p})
}

// Summary is a section's one-line summary.
func (s countSection) Summary() string { return fmt.Sprintf("%d in all", s.Total) }
