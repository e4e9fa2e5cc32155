package app

import (
	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/httpapi"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/notification"
	"github.com/galaxy-platform/galaxy/internal/runtime"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// Each domain names its handler type Handlers; the aliases give the embedded
// fields distinct names.
type (
	mailHandlers    = mail.Handlers
	userHandlers    = user.Handlers
	authHandlers    = auth.Handlers
	adminHandlers   = admin.Handlers
	lobbyHandlers   = lobby.Handlers
	playHandlers    = runtime.Handlers
	notifHandlers   = notification.Handlers
	inboundHandlers = inbound.Handlers
)

// apiServer assembles the generated server interface from the handlers of
// each domain; every domain contributes its own embedded handler type.
type apiServer struct {
	*httpapi.Probes
	*mailHandlers
	*userHandlers
	*authHandlers
	*adminHandlers
	*lobbyHandlers
	*playHandlers
	*notifHandlers
	*inboundHandlers
	*overviewHandlers
}

var _ apigen.ServerInterface = (*apiServer)(nil)
