package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// locks coordinate the test processes of one `go test` run through flock(2)
// on two files: cluster.lock serialises start and stop, and every process
// holds a shared lock on inuse.lock while it uses the cluster. The kernel
// drops the locks of a process that dies, so a killed test never leaves the
// cluster believed in use forever.
type locks struct {
	cluster *os.File
	inUse   *os.File
}

func lockDir(dir string) (*locks, error) {
	c, err := os.OpenFile(filepath.Join(dir, "cluster.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	u, err := os.OpenFile(filepath.Join(dir, "inuse.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	return &locks{cluster: c, inUse: u}, nil
}

func (l *locks) withExclusive(fn func() error) error {
	if err := flock(l.cluster, syscall.LOCK_EX); err != nil {
		return err
	}
	defer func() { _ = flock(l.cluster, syscall.LOCK_UN) }()
	return fn()
}

func (l *locks) markInUse() error { return flock(l.inUse, syscall.LOCK_SH) }

// releaseInUse drops this process's shared lock and reports whether no other
// process holds one. Call it under withExclusive.
func (l *locks) releaseInUse() (last bool, err error) {
	if err := flock(l.inUse, syscall.LOCK_UN); err != nil {
		return false, err
	}
	err = flock(l.inUse, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_ = flock(l.inUse, syscall.LOCK_UN)
	return true, nil
}

func (l *locks) close() {
	_ = l.cluster.Close()
	_ = l.inUse.Close()
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
