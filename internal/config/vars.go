package config

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Var describes one environment variable: its name, its defaults and what it
// does. The list of Vars is the single source of truth for loading and for
// docs/configuration.md.
type Var struct {
	// Name is the environment variable's name.
	Name string
	// Default is used by `galaxy serve` when the variable is unset.
	Default string
	// DevDefault, when non-nil, replaces Default for `galaxy dev`.
	DevDefault *string
	// Doc says what the variable does, in one or two sentences.
	Doc string
	// set parses raw and stores it into c; it returns a message for bad values.
	set func(c *Config, raw string) error
}

// defaultFor returns the variable's default in the given mode.
func (v Var) defaultFor(m Mode) string {
	if m == ModeDev && v.DevDefault != nil {
		return *v.DevDefault
	}
	return v.Default
}

// dev marks a dev-mode default.
func dev(s string) *string { return &s }

func stringVar(name, def string, devDef *string, doc string, field func(*Config) *string) Var {
	return Var{Name: name, Default: def, DevDefault: devDef, Doc: doc, set: func(c *Config, raw string) error {
		*field(c) = raw
		return nil
	}}
}

func addrVar(name, def string, devDef *string, doc string, field func(*Config) *string) Var {
	return Var{Name: name, Default: def, DevDefault: devDef, Doc: doc, set: func(c *Config, raw string) error {
		if raw != "" {
			if _, _, err := net.SplitHostPort(raw); err != nil {
				return fmt.Errorf("want host:port (e.g. :8080), got %q", raw)
			}
		}
		*field(c) = raw
		return nil
	}}
}

func durationVar(name, def string, doc string, field func(*Config) *time.Duration) Var {
	return Var{Name: name, Default: def, Doc: doc, set: func(c *Config, raw string) error {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a Go duration such as 30s or 1m30s, got %q", raw)
		}
		if d <= 0 {
			return fmt.Errorf("must be positive, got %q", raw)
		}
		*field(c) = d
		return nil
	}}
}

func intVar(name, def string, minimum int, doc string, field func(*Config) *int) Var {
	return Var{Name: name, Default: def, Doc: doc, set: func(c *Config, raw string) error {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("want an integer, got %q", raw)
		}
		if n < minimum {
			return fmt.Errorf("must be at least %d, got %d", minimum, n)
		}
		*field(c) = n
		return nil
	}}
}

func enumVar(name, def string, devDef *string, allowed []string, doc string, field func(*Config) *string) Var {
	doc = fmt.Sprintf("%s One of `%s`.", doc, strings.Join(allowed, "`, `"))
	return Var{Name: name, Default: def, DevDefault: devDef, Doc: doc, set: func(c *Config, raw string) error {
		v := strings.ToLower(strings.TrimSpace(raw))
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("want one of %s, got %q", strings.Join(allowed, ", "), raw)
		}
		*field(c) = v
		return nil
	}}
}

func boolVar(name, def string, doc string, field func(*Config) *bool) Var {
	return Var{Name: name, Default: def, Doc: doc, set: func(c *Config, raw string) error {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		*field(c) = b
		return nil
	}}
}

// prefixListVar parses comma- or space-separated CIDRs or single addresses.
func prefixListVar(name, doc string, field func(*Config) *[]netip.Prefix) Var {
	return Var{Name: name, Doc: doc, set: func(c *Config, raw string) error {
		var out []netip.Prefix
		var bad []string
		for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
			if p, err := netip.ParsePrefix(f); err == nil {
				out = append(out, p.Masked())
			} else if a, err := netip.ParseAddr(f); err == nil {
				out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			} else {
				bad = append(bad, f)
			}
		}
		if len(bad) > 0 {
			return fmt.Errorf("not a CIDR or address: %s", strings.Join(bad, ", "))
		}
		*field(c) = out
		return nil
	}}
}
