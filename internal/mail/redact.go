package mail

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
)

// Masked stands, in what operators read, for a secret a mail carries.
const Masked = "[hidden]"

// secretKeys name the template data that carries a credential: the sign-in
// code of auth.login_code, and the names a password or a token would take.
// Whatever the template (an override from BACKEND_MAIL_TEMPLATE_DIR too),
// operators read these values masked, in the data and wherever the
// rendered mail or an SMTP error repeats them: a sign-in code in an
// operator's hands is a sign-in as the player. Trusted services (the
// internal API) read them as sent.
var secretKeys = map[string]bool{"code": true, "password": true, "orders_password": true, "token": true, "secret": true}

// secretValues collects the values of data's secret keys, at any depth.
func secretValues(data map[string]any) []string {
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(x, secret || secretKeys[k])
			}
		case []any:
			for _, x := range v {
				walk(x, secret)
			}
		case nil:
		default:
			if s := fmt.Sprint(v); secret && s != "" {
				out = append(out, s)
			}
		}
	}
	walk(data, false)
	return out
}

// masker hides every secret of data in a text, as written and as the HTML
// templates escape it; nil when data has no secret.
func masker(data map[string]any) *strings.Replacer {
	vals := secretValues(data)
	if len(vals) == 0 {
		return nil
	}
	// Longest first: a secret that contains another is masked whole.
	slices.SortFunc(vals, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 4*len(vals))
	for _, v := range slices.Compact(vals) {
		pairs = append(pairs, v, Masked)
		if esc := htmltemplate.HTMLEscapeString(v); esc != v {
			pairs = append(pairs, esc, Masked)
		}
	}
	return strings.NewReplacer(pairs...)
}

// maskData copies data with the values of its secret keys masked.
func maskData(data map[string]any) map[string]any {
	var mask func(v any, secret bool) any
	mask = func(v any, secret bool) any {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, x := range v {
				out[k] = mask(x, secret || secretKeys[k])
			}
			return out
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = mask(x, secret)
			}
			return out
		case nil:
			return nil
		default:
			if secret {
				return Masked
			}
			return v
		}
	}
	if data == nil {
		return nil
	}
	return mask(data, false).(map[string]any)
}

func maskPtr(r *strings.Replacer, s *string) *string {
	if s == nil {
		return nil
	}
	v := r.Replace(*s)
	return &v
}

// MaskSecrets returns a copy of d as operators read it: every secret of
// its data (see secretKeys) masked, in the data, the subject, the bodies
// and the errors. d itself is unchanged.
func (d *Detail) MaskSecrets() *Detail {
	r := masker(d.Data)
	if r == nil {
		return d
	}
	out := *d
	out.Data = maskData(d.Data)
	out.Subject, out.Text, out.HTML = r.Replace(d.Subject), r.Replace(d.Text), r.Replace(d.HTML)
	out.LastError = maskPtr(r, d.LastError)
	out.Attempts = slices.Clone(d.Attempts)
	for i := range out.Attempts {
		out.Attempts[i].Error = maskPtr(r, out.Attempts[i].Error)
	}
	if d.DeadLetter != nil {
		dl := *d.DeadLetter
		dl.Reason = r.Replace(dl.Reason)
		out.DeadLetter = &dl
	}
	return &out
}

// maskSummaries masks the secrets of each delivery that an error may
// repeat, given every delivery's data by id.
func maskSummaries(items []Summary, data map[string]map[string]any) {
	for i := range items {
		if items[i].LastError == nil {
			continue
		}
		if r := masker(data[items[i].DeliveryID]); r != nil {
			items[i].LastError = maskPtr(r, items[i].LastError)
		}
	}
}
