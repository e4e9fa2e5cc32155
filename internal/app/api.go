package app

import (
	"github.com/galaxy-platform/galaxy/internal/httpapi"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// apiServer assembles the generated server interface from the handlers of
// each domain; every domain contributes its own embedded handler type.
type apiServer struct {
	*httpapi.Probes
}

var _ apigen.ServerInterface = (*apiServer)(nil)
