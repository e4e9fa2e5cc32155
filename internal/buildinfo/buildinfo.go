// Package buildinfo reports the version of the running binary.
package buildinfo

import "runtime/debug"

// version is set at link time with -ldflags "-X .../buildinfo.version=v1.2.3".
var version string

// Version returns the link-time version, else the VCS revision Go recorded
// in the binary, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if modified == "true" {
				rev += "-dirty"
			}
			return rev
		}
	}
	return "dev"
}
