package svg

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// node is a parsed element: enough of a DOM to check what Map and Chart
// draw without matching strings.
type node struct {
	name     string
	attrs    map[string]string
	text     string // character data directly inside
	children []*node
	parent   *node
}

// parse checks that out is well-formed XML (strict, as encoding/xml is) and
// returns its root element.
func parse(t *testing.T, out string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	d.Strict = true
	var root, cur *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attrs: map[string]string{}, parent: cur}
			for _, a := range tk.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if cur == nil {
				if root != nil {
					t.Fatalf("more than one root element")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(tk)
			}
		}
	}
	if root == nil {
		t.Fatal("no element in output")
	}
	return root
}

// all returns the elements under n (n included) that match.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(x *node) {
		if match(x) {
			out = append(out, x)
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(n)
	return out
}

// hasClass reports whether n's class list holds c.
func (n *node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attrs["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// child is n's first direct child element named name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// byClass finds the elements with a class.
func byClass(root *node, c string) []*node {
	return root.all(func(n *node) bool { return n.hasClass(c) })
}

// planets maps data-planet to its element, failing on a duplicate.
func planets(t *testing.T, root *node) map[string]*node {
	t.Helper()
	out := map[string]*node{}
	for _, n := range root.all(func(n *node) bool { _, ok := n.attrs["data-planet"]; return ok }) {
		name := n.attrs["data-planet"]
		if _, dup := out[name]; dup {
			t.Errorf("planet %q drawn twice", name)
		}
		out[name] = n
	}
	return out
}

// body is the planet's disc, inside its link or not.
func body(t *testing.T, planet *node) *node {
	t.Helper()
	bs := planet.all(func(n *node) bool { return n.name == "circle" && n.hasClass("body") })
	if len(bs) != 1 {
		t.Fatalf("planet %q has %d bodies", planet.attrs["data-planet"], len(bs))
	}
	return bs[0]
}
