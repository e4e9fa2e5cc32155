package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// target is the platform a run loads, and how the run reaches what players
// cannot do themselves: reading their mail and forcing turns.
type target struct {
	base                     string
	adminUser, adminPassword string
	codes                    codeSource
	// own is the platform the run started; nil with -base.
	own *platform
}

// openTarget starts a platform, or with -base connects to a running one.
func openTarget(ctx context.Context, o options, doer apiclient.HttpRequestDoer, stderr io.Writer) (*target, error) {
	if o.Base == "" {
		p, err := startPlatform(ctx, o.DSN, o.Verbose, stderr)
		if err != nil {
			return nil, err
		}
		return &target{base: p.base, adminUser: platformAdmin, adminPassword: p.adminPassword, codes: p.codes, own: p}, nil
	}
	base := strings.TrimRight(o.Base, "/")
	internal, err := apiclient.NewClientWithResponses(base, apiclient.WithHTTPClient(doer),
		apiclient.WithRequestEditorFn(bearer(o.InternalToken)))
	if err != nil {
		return nil, fmt.Errorf("-base: %w", err)
	}
	return &target{base: base, adminUser: o.AdminUser, adminPassword: o.AdminPassword, codes: &deliveryLog{api: internal}}, nil
}

// describe says what was loaded, for the report.
func (t *target) describe() string {
	if t.own != nil {
		return "platform started by loadtest at " + t.base
	}
	return "running platform at " + t.base
}

// close stops the platform the run started; keep leaves its directory
// (and log) behind.
func (t *target) close(ctx context.Context, keep bool) error {
	if t.own == nil {
		return nil
	}
	return t.own.stop(ctx, keep)
}

// bearer sets a request's Authorization header.
func bearer(token string) apiclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}
