package runtime

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// The API serves reports through apigen.ReportData, so a field the engine
// writes but api/openapi.yaml does not describe would silently vanish.
// Every golden report must survive the round trip unchanged.
func TestReportDataSchemaKeepsEveryField(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../game/testdata/golden/r*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("golden reports: %v %v", files, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var typed apigen.ReportData
		if err := json.Unmarshal(raw, &typed); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		again, err := json.Marshal(typed)
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		_ = json.Unmarshal(raw, &want)
		_ = json.Unmarshal(again, &got)
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(got)
		if !bytes.Equal(w, g) {
			t.Errorf("%s: the typed report differs from the engine's\nengine: %.400s\ntyped:  %.400s", f, w, g)
		}
	}
}
