// Command configdocs rewrites the generated variable table of the
// configuration document from config.Vars. It runs from `go generate` in
// internal/config (so from `make generate`) with the document's path as its
// only argument.
package main

import (
	"fmt"
	"os"

	"github.com/galaxy-platform/galaxy/internal/config"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: configdocs path/to/configuration.md")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
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
	if updated == string(doc) {
		return nil
	}
	return os.WriteFile(path, []byte(updated), 0o644)
}
