package app

import (
	"github.com/galaxy-platform/galaxy/internal/httpapi"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

// apiServer assembles the generated server interface from the handlers of
// each domain; every domain contributes its own embedded handler type.
type apiServer struct {
	*httpapi.Probes
	*mail.Handlers
}

var _ apigen.ServerInterface = (*apiServer)(nil)
