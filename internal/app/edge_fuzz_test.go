package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzAPI sends arbitrary parameters and bodies to every route of the spec
// through the whole handler stack of a running backend (real database) and
// checks the answer is never a 500 and every refusal is a contract error.
// CI runs it for a short fixed time (`make fuzz`); `go test` runs the seeds.
func FuzzAPI(f *testing.F) {
	r := startApp(f, testConfig(f))
	sp := readSpec(f)
	user := r.signIn(f, "fuzz@example.com").Token
	admin := r.adminToken(f)
	var ops []specOp
	for _, op := range sp.ops {
		if strings.HasPrefix(op.Path, "/api/v1/") && op.Path != "/api/v1/openapi.yaml" {
			ops = append(ops, op)
		}
	}
	f.Add(uint16(0), "x", "limit=5", []byte(`{}`))
	f.Add(uint16(3), "a\x00b", "status=bogus", []byte(`{"name":"a\u0000"}`))
	f.Add(uint16(7), "\xff", "cursor=%%", []byte("{\"race_name\":\"\xff\"}"))
	f.Add(uint16(11), "-1", "turn=-1", []byte(`{"turn":-1,"text":""}`))
	f.Fuzz(func(t *testing.T, which uint16, param, query string, body []byte) {
		op := ops[int(which)%len(ops)]
		path := op.Path
		for _, p := range op.Params {
			if p.In == "path" {
				path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(param))
			}
		}
		if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
			path += "?" + q.Encode()
		}
		token := ""
		switch {
		case strings.HasPrefix(op.Path, "/api/v1/user/"):
			token = user
		case strings.HasPrefix(op.Path, "/api/v1/admin/"):
			token = admin
		case strings.HasPrefix(op.Path, "/api/v1/internal/"):
			token = r.cfg.InternalToken
		}
		a := r.raw(t, op.Method, path, token, body)
		if a.status == http.StatusInternalServerError {
			t.Fatalf("%s %s: 500 %q (body %q)", op.Method, path, a.msg, body)
		}
		if a.status >= 400 {
			refused(t, op.Method+" "+path, a, a.status)
		}
	})
}
