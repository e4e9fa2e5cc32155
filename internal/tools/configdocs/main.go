// Command configdocs rewrites the generated variable table in
// docs/configuration.md from config.Vars (run by `make generate`).
package main

import (
	"fmt"
	"os"

	"github.com/galaxy-platform/galaxy/internal/config"
)

func main() {
	if err := run("docs/configuration.md"); err != nil {
		fmt.Fprintln(os.Stderr, "configdocs:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	updated, err := config.ReplaceDocsTable(string(doc))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, []byte(updated), 0o644)
}
