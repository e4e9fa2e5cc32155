// Command configdocs rewrites the generated variable tables of the
// configuration document from config.Vars (the backend) and gateway.Vars
// (galaxy-gateway). It runs from `go generate` in
// internal/config (so from `make generate`) with the document's path as its
// only argument.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/gateway"
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
	updated, err = replaceBetween(updated, gateway.DocsBeginMarker, gateway.DocsEndMarker, gateway.MarkdownTable())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if updated == string(doc) {
		return nil
	}
	return os.WriteFile(path, []byte(updated), 0o644)
}

// replaceBetween swaps the text between two markers of doc for table.
func replaceBetween(doc, begin, end, table string) (string, error) {
	b, e := strings.Index(doc, begin), strings.Index(doc, end)
	if b < 0 || e < b {
		return "", fmt.Errorf("markers %q and %q not found in order", begin, end)
	}
	return doc[:b+len(begin)] + "\n" + table + doc[e:], nil
}
