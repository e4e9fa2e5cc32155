package pgcluster

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the unprivileged account the server runs under when we are root:
// PostgreSQL refuses to run as root.
type runAs struct {
	uid, gid uint32
	name     string
}

// serverAccount returns nil when the current user can run PostgreSQL itself,
// or the `postgres` account when we are root.
func serverAccount() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses to run as root; "+
			"no `postgres` user exists to run it as (create one, e.g. `useradd --system postgres`, "+
			"or run galaxy as a normal user): %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &runAs{uid: uint32(uid), gid: uint32(gid), name: u.Username}, nil
}

func (r *runAs) sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if r != nil {
		attr.Credential = &syscall.Credential{Uid: r.uid, Gid: r.gid}
	}
	return attr
}

// chown gives path to the server account (no-op when not root).
func (r *runAs) chown(path string) error {
	if r == nil {
		return nil
	}
	return os.Chown(path, int(r.uid), int(r.gid))
}

// checkTraversable reports the first ancestor of path that the server account
// cannot enter (a directory under /root, typically).
func (r *runAs) checkTraversable(path string) error {
	if r == nil {
		return nil
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if os.IsNotExist(err) {
			continue // created world-traversable by Init
		}
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		ok := mode&0o001 != 0 ||
			(st.Uid == r.uid && mode&0o100 != 0) ||
			(st.Gid == r.gid && mode&0o010 != 0)
		if !ok {
			return fmt.Errorf("the %s user cannot enter %s (mode %v), so PostgreSQL cannot reach %s", r.name, dir, mode, path)
		}
		if dir == "/" || dir == "." {
			return nil
		}
	}
}
