package web

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// fakeBackend answers the API calls the play pages make, for one game "g1"
// in turn 4 where the player (usr_me) plays the Vogons.
type fakeBackend struct {
	mu     sync.Mutex
	stored *apiclient.StoredOrders
	puts   []apiclient.OrdersRequest
}

const fakeReportText = "Vogons Report for Galaxy Turn 4\n\n\t\tYour Planets\n\nN X Y\n"

func (f *fakeBackend) handler(t *testing.T) http.Handler {
	mux := http.NewServeMux()
	js := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	apiErr := func(w http.ResponseWriter, status int, code, msg string) {
		js(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
	}
	verdict := func(text string) apiclient.OrdersResult {
		res := apiclient.OrdersResult{Accepted: true, Errors: []apiclient.OrderMistake{}, Forecast: "Vogons Forecast for Galaxy Turn 5"}
		for i, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "zz") {
				res.Errors = append(res.Errors, apiclient.OrderMistake{Line: i + 1, Message: line + `: unknown order "zz"`})
			}
		}
		return res
	}
	mux.HandleFunc("GET /api/v1/user/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			apiErr(w, 401, "unauthenticated", "no session")
			return
		}
		js(w, 200, apiclient.UserProfile{UserId: "usr_me", DisplayName: "Me", Status: "active", Timezone: "Europe/Berlin"})
	})
	mux.HandleFunc("GET /api/v1/user/notifications", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.NotificationList{Items: []apiclient.Notification{}})
	})
	mux.HandleFunc("GET /api/v1/user/games/g1", func(w http.ResponseWriter, _ *http.Request) {
		next := time.Date(2026, 1, 5, 18, 0, 0, 0, time.UTC)
		js(w, 200, apiclient.Game{GameId: "g1", Name: "Andromeda", Status: "running", CurrentTurn: 4, NextTurnAt: &next})
	})
	report := func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.RaceReport{Turn: 4, RaceName: "Vogons", Text: fakeReportText, Data: *sampleReport()})
	}
	mux.HandleFunc("GET /api/v1/user/games/g1/reports/latest", report)
	mux.HandleFunc("GET /api/v1/user/games/g1/reports/{turn}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("turn") != "4" {
			apiErr(w, 404, "not_found", "no report")
			return
		}
		report(w, r)
	})
	mux.HandleFunc("GET /api/v1/user/games/g1/turns", func(w http.ResponseWriter, _ *http.Request) {
		at := time.Date(2026, 1, 1, 18, 0, 0, 0, time.UTC)
		var items []apiclient.TurnInfo
		for turn := 1; turn <= 4; turn++ {
			items = append(items, apiclient.TurnInfo{Turn: turn, RanAt: at.Add(time.Duration(turn) * 24 * time.Hour),
				Summary: apiclient.TurnSummary{Races: []apiclient.RaceSummary{{RaceId: "usr_me", Planets: 3, Population: 1750, Industry: 1750, Ships: 100 * turn}}}})
		}
		js(w, 200, apiclient.TurnList{Items: items})
	})
	mux.HandleFunc("GET /api/v1/user/games/g1/members", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.MemberList{Items: []apiclient.Member{{UserId: "usr_me", RaceName: "Vogons", Status: "active"}}})
	})
	mux.HandleFunc("GET /api/v1/user/games/g1/orders", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.stored == nil || r.URL.Query().Get("turn") != "5" {
			apiErr(w, 404, "not_found", "no orders stored")
			return
		}
		js(w, 200, f.stored)
	})
	mux.HandleFunc("PUT /api/v1/user/games/g1/orders", func(w http.ResponseWriter, r *http.Request) {
		var req apiclient.OrdersRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("put orders: %v", err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.puts = append(f.puts, req)
		if req.Turn != 5 {
			apiErr(w, 409, "conflict", "turn 4 has already run")
			return
		}
		res := verdict(req.Text)
		// The latest set is stored, mistakes and all.
		f.stored = &apiclient.StoredOrders{Turn: 5, Text: req.Text, Accepted: true, Errors: res.Errors,
			Final: req.Final != nil && *req.Final, SubmittedAt: time.Now()}
		js(w, 200, res)
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/orders/check", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			apiErr(w, 401, "unauthenticated", "no session")
			return
		}
		var req apiclient.OrdersCheckRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("check orders: %v", err)
		}
		js(w, 200, verdict(req.Text))
	})
	return mux
}

// playSite serves the play pages over a fake backend, as routes.go does.
func playSite(t *testing.T) (*httptest.Server, *fakeBackend) {
	t.Helper()
	fb := &fakeBackend{}
	ui, mux := testUI(t, fb.handler(t))
	mux.HandleFunc("GET /static/svg.css", ui.SVGStyles)
	mux.HandleFunc("GET /games/{game_id}/map", ui.MapShow)
	mux.HandleFunc("GET /games/{game_id}/orders", ui.OrdersShow)
	mux.HandleFunc("POST /games/{game_id}/orders", ui.OrdersSubmit)
	mux.HandleFunc("POST /games/{game_id}/orders/check", ui.OrdersCheck)
	mux.HandleFunc("GET /games/{game_id}/reports/{turn}", ui.ReportShow)
	mux.HandleFunc("GET /games/{game_id}/history", ui.HistoryShow)
	return testSite(t, mux), fb
}

type page struct {
	status int
	body   string
	header http.Header
}

func fetch(t *testing.T, method, u string, form url.Values, hdr map[string]string) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: session.CookieName, Value: "tok"})
	for k, v := range hdr {
		if k == "Cookie" {
			req.Header.Del("Cookie")
		}
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b), resp.Header}
}

func mustContain(t *testing.T, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			t.Errorf("the page (%d) lacks %q", p.status, s)
		}
	}
}

func TestMapPage(t *testing.T) {
	site, _ := playSite(t)
	p := fetch(t, "GET", site.URL+"/games/g1/map", nil, nil)
	if p.status != 200 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	mustContain(t, p, `data-planet="New Home"`, `data-planet="3"`, `data-owner="Klingons"`, `<body data-game="g1">`,
		`href="/static/svg.css"`, `src="/static/map.js"`, `Planet details`, `<table data-sortable>`, `Ship types`,
		`<a href="/games/g1/map?planet=New%20Home#planet-panel">New Home</a>`)
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " style=") {
		t.Error("inline script or style: the CSP forbids them")
	}

	p = fetch(t, "GET", site.URL+"/games/g1/map?planet=19", nil, nil)
	mustContain(t, p, `Planet 19`, `Owned by <strong>Klingons</strong>`, `at war`,
		`/games/g1/orders?append=a%20Klingons`, `/games/g1/orders?append=s%201%2019`, `selected-ring`)

	p = fetch(t, "GET", site.URL+"/games/g1/map?planet=New+Home", nil, nil)
	mustContain(t, p, `/games/g1/orders?append=p%20New_Home%20CAP`, `Incoming`)

	p = fetch(t, "GET", site.URL+"/games/g1/map?planet=Atlantis", nil, nil)
	mustContain(t, p, `knows no planet called “Atlantis”`)

	if p := fetch(t, "GET", site.URL+"/games/g1/map?turn=99", nil, nil); p.status != 404 {
		t.Errorf("the map of a turn without report: %d", p.status)
	}
	if p := fetch(t, "GET", site.URL+"/games/g1/map?turn=x", nil, nil); p.status != 404 {
		t.Errorf("the map of turn x: %d", p.status)
	}
}

func TestOrdersPageOpensTheStoredSet(t *testing.T) {
	site, fb := playSite(t)
	p := fetch(t, "GET", site.URL+"/games/g1/orders", nil, nil)
	if p.status != 200 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	mustContain(t, p, `<form method="post" action="/games/g1/orders" id="orders-form" data-keep-on-resync`,
		`<input type="hidden" name="turn" value="5">`, `id="orders-text" name="text"`, `name="final" value="true"`,
		`Nothing yet`, `Order reference`, `id="orders-errors"`, `id="orders-forecast"`)

	fb.stored = &apiclient.StoredOrders{Turn: 5, Text: "d Scout 1 0 0 0 0\nzz x", Final: true, Errors: []apiclient.OrderMistake{{Line: 2, Message: "bad"}},
		SubmittedAt: time.Date(2026, 1, 4, 12, 0, 0, 0, time.UTC)}
	p = fetch(t, "GET", site.URL+"/games/g1/orders?append=p+7+CAP&append=s+1+19", nil, nil)
	mustContain(t, p, ">d Scout 1 0 0 0 0\nzz x\np 7 CAP\ns 1 19</textarea>", `Added at the end`, `<code>p 7 CAP</code>`,
		`Submitted <time datetime="2026-01-04T12:00:00Z">Sun 4 Jan 2026 13:00 CET</time>`, `<strong>final</strong>`,
		`differs from the text in the editor`, `data-append="p 7 CAP
s 1 19"`)

	p = fetch(t, "GET", site.URL+"/games/g1/orders", nil, nil)
	// The stored set's mistakes are shown at their lines.
	mustContain(t, p, `<li data-line="2" class="has-error" title="bad">2</li>`, `<strong class="line-ref">Line 2</strong>: bad`)
	if strings.Contains(p.body, `data-line="1" class="has-error"`) {
		t.Error("line 1 is flagged")
	}
}

func TestOrdersSubmit(t *testing.T) {
	site, fb := playSite(t)
	form := url.Values{"turn": {"5"}, "text": {"d Scout 1 0 0 0 0\r\nzz nonsense order"}, "final": {"false"}}
	p := fetch(t, "POST", site.URL+"/games/g1/orders", form, nil)
	if p.status != 200 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	mustContain(t, p, ">d Scout 1 0 0 0 0\nzz nonsense order</textarea>", `id="orders-errors"`, `Line 2</strong>: zz nonsense order`,
		`<li data-line="2" class="has-error"`, `1 line has a mistake and will not run; the other lines will.`, `are stored.`, `data-posted`)
	if len(fb.puts) != 1 || fb.puts[0].Text != "d Scout 1 0 0 0 0\nzz nonsense order" || fb.puts[0].Final == nil || *fb.puts[0].Final {
		t.Errorf("sent: %+v", fb.puts)
	}

	form = url.Values{"turn": {"5"}, "text": {"d Scout 1 0 0 0 0"}, "final": {"true"}}
	p = fetch(t, "POST", site.URL+"/games/g1/orders", form, nil)
	mustContain(t, p, `are stored as final`, `No mistakes`, `Vogons Forecast for Galaxy Turn 5`, `<strong>final</strong>`)
	if !fb.stored.Final || !fb.stored.Accepted {
		t.Errorf("stored: %+v", fb.stored)
	}

	// A later set with mistakes replaces it: its valid lines are what runs.
	form = url.Values{"turn": {"5"}, "text": {"zz"}}
	p = fetch(t, "POST", site.URL+"/games/g1/orders", form, nil)
	mustContain(t, p, `are stored.`, `1 line will not run`)
	if fb.stored.Text != "zz" {
		t.Errorf("stored: %+v", fb.stored)
	}
}

func TestOrdersSubmitForATurnThatRan(t *testing.T) {
	site, _ := playSite(t)
	form := url.Values{"turn": {"4"}, "text": {"s 1 19 ; my precious orders"}}
	p := fetch(t, "POST", site.URL+"/games/g1/orders", form, nil)
	if p.status != http.StatusConflict {
		t.Fatalf("status %d", p.status)
	}
	mustContain(t, p, `already run`, `submit them for turn 5`, `>s 1 19 ; my precious orders</textarea>`,
		`<input type="hidden" name="turn" value="5">`)
}

func TestOrdersCheck(t *testing.T) {
	site, fb := playSite(t)
	p := fetch(t, "POST", site.URL+"/games/g1/orders/check", url.Values{"text": {"d A 1 0 0 0 0\nzz"}}, map[string]string{"Accept": "application/json"})
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s", p.status, p.body)
	}
	var v apiclient.OrdersResult
	if err := json.Unmarshal([]byte(p.body), &v); err != nil || !v.Accepted || len(v.Errors) != 1 || v.Errors[0].Line != 2 || v.Forecast == "" {
		t.Errorf("verdict: %s (%v)", p.body, err)
	}
	p = fetch(t, "POST", site.URL+"/games/g1/orders/check", nil, map[string]string{"Content-Type": "application/json", "Accept": "application/json"})
	if p.status != 400 {
		t.Errorf("no body: %d", p.status)
	}
	p = fetch(t, "POST", site.URL+"/games/g1/orders/check", url.Values{"text": {"x"}}, map[string]string{"Accept": "application/json", "Cookie": "other=1"})
	if p.status != 401 || !strings.Contains(p.body, `"error"`) {
		t.Errorf("signed out: %d %s", p.status, p.body)
	}
	// Without the script, the form's check button shows the editor again.
	p = fetch(t, "POST", site.URL+"/games/g1/orders/check", url.Values{"text": {"zz"}, "turn": {"5"}}, nil)
	mustContain(t, p, `Checked only`, `Line 1</strong>`, `>zz</textarea>`)
	if len(fb.puts) != 0 {
		t.Error("a check stored orders")
	}
}

func TestReportPage(t *testing.T) {
	site, _ := playSite(t)
	p := fetch(t, "GET", site.URL+"/games/g1/reports/latest", nil, nil)
	if p.status != 200 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	mustContain(t, p, `<pre class="report" id="report-text">`+html.EscapeString(fakeReportText)+`</pre>`,
		`rel="prev"`, `Status of players`, `Incoming groups`, `<option value="latest" selected>latest</option>`)
	if p := fetch(t, "GET", site.URL+"/games/g1/reports/4", nil, nil); p.status != 200 || !strings.Contains(p.body, `<option value="4" selected>`) {
		t.Errorf("turn 4: %d", p.status)
	}
	if p := fetch(t, "GET", site.URL+"/games/g1/reports/99", nil, nil); p.status != 404 || !strings.Contains(p.body, "no report for this turn") {
		t.Errorf("turn 99: %d", p.status)
	}
	if p := fetch(t, "GET", site.URL+"/games/g1/reports/nope", nil, nil); p.status != 404 {
		t.Errorf("turn nope: %d", p.status)
	}
	p = fetch(t, "GET", site.URL+"/games/g1/reports/latest?turn=3", nil, nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/games/g1/reports/3" {
		t.Errorf("the turn picker: %d %s", p.status, p.header.Get("Location"))
	}
}

func TestHistoryPage(t *testing.T) {
	site, _ := playSite(t)
	p := fetch(t, "GET", site.URL+"/games/g1/history", nil, nil)
	if p.status != 200 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	mustContain(t, p, `class="turn-chart"`, `Ships: 400`, `<a href="/games/g1/reports/4">Turn 4</a>`, `<span class="tag">Vogons</span>`,
		`Sat 3 Jan 2026 19:00 CET`)
}

func TestSVGStyles(t *testing.T) {
	site, _ := playSite(t)
	p := fetch(t, "GET", site.URL+"/static/svg.css", nil, nil)
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/css") || !strings.Contains(p.body, ".galaxy-map") {
		t.Errorf("%d %s", p.status, p.header.Get("Content-Type"))
	}
}
