package config

import (
	"fmt"
	"strings"
)

// Markers delimit the generated table inside docs/configuration.md; the prose
// around them is written by hand.
const (
	DocsBeginMarker = "<!-- BEGIN GENERATED VARIABLES (make generate) -->"
	DocsEndMarker   = "<!-- END GENERATED VARIABLES -->"
)

// MarkdownTable renders Vars as the table of docs/configuration.md.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| variable | default (`serve`) | default (`dev`) | meaning |\n")
	b.WriteString("|---|---|---|---|\n")
	for _, v := range Vars {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n",
			v.Name, showDefault(v.Default), showDefault(v.defaultFor(ModeDev)), v.Doc)
	}
	return b.String()
}

func showDefault(s string) string {
	if s == "" {
		return "(empty)"
	}
	return "`" + s + "`"
}

// ReplaceDocsTable returns doc with the text between the markers replaced by
// the current table. It fails when the markers are missing.
func ReplaceDocsTable(doc string) (string, error) {
	begin := strings.Index(doc, DocsBeginMarker)
	end := strings.Index(doc, DocsEndMarker)
	if begin < 0 || end < begin {
		return "", fmt.Errorf("markers %q and %q not found in order", DocsBeginMarker, DocsEndMarker)
	}
	return doc[:begin+len(DocsBeginMarker)] + "\n" + MarkdownTable() + doc[end:], nil
}

//go:generate go run ../tools/configdocs ../../docs/configuration.md
