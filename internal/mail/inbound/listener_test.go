package inbound_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "galaxy.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"galaxy.test"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestListenerOffersStartTLSAndLimitsSenders: with a certificate the
// listener offers STARTTLS and takes mail over it; a sender over its rate
// gets a temporary 451 (a real server retries), never a loss.
func TestListenerOffersStartTLSAndLimitsSenders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := poolFor(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	e, err := build(pool, "127.0.0.1:1", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := inboundConfig("127.0.0.1:0")
	cfg.TLSCertFile, cfg.TLSKeyFile = selfSigned(t)
	cfg.SenderEvery, cfg.SenderBurst = time.Hour, 2
	svc, err := inbound.New(cfg, &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}, e.jobs, inbound.Deps{}, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := inbound.NewListener(svc)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Stop(ctx) }()

	send := func(id string) error {
		c, err := smtp.DialStartTLS(l.Addr().String(), &tls.Config{ServerName: "galaxy.test", InsecureSkipVerify: true}) //nolint:gosec // a self-signed test certificate
		if err != nil {
			return err
		}
		defer c.Close()
		if _, ok := c.TLSConnectionState(); !ok {
			t.Fatal("the session is not encrypted")
		}
		raw := "From: " + player + "\r\nMessage-ID: <" + id + ">\r\n\r\nhello\r\n"
		return c.SendMail(player, []string{"orders@galaxy.test"}, strings.NewReader(raw))
	}
	for _, id := range []string{"tls-1@x", "tls-2@x"} {
		if err := send(id); err != nil {
			t.Fatalf("mail over STARTTLS: %v", err)
		}
	}
	var se *smtp.SMTPError
	if err := send("tls-3@x"); !errors.As(err, &se) || se.Code != 451 {
		t.Fatalf("a third mail within the hour: %v, want a temporary 451", err)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM inbound_mails`).Scan(&stored); err != nil || stored != 2 {
		t.Fatalf("%d mails stored (%v), want 2", stored, err)
	}
}

// TestListenerStopFinishesTheMessageInFlight: on Stop the listener refuses
// new connections at once, and the message being sent is still accepted,
// stored, and answered 250.
func TestListenerStopFinishesTheMessageInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := poolFor(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	e, err := build(pool, "127.0.0.1:1", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.listener.Start(ctx); err != nil {
		t.Fatal(err)
	}
	addr := e.listener.Addr().String()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(player, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("orders@galaxy.test", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("From: " + player + "\r\nMessage-ID: <inflight@x>\r\n\r\nhalf")); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		stopped <- e.listener.Stop(stopCtx)
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		nc, err := smtp.Dial(addr)
		if err != nil {
			break // refused: the listener is closed
		}
		_ = nc.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted after Stop")
		}
	}
	if _, err := w.Write([]byte(" and the rest\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("the message in flight: %v, want 250", err)
	}
	_ = c.Quit()
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM inbound_mails WHERE message_id = 'inflight@x'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d copies of the message in flight stored (%v), want 1", n, err)
	}
}

// TestListenerStopRightAfterStart: a start that unwinds at once (another
// component failed) stops the listener before it even serves; Stop must
// still return, every time.
func TestListenerStopRightAfterStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := poolFor(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for range 50 {
		e, err := build(pool, "127.0.0.1:1", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.listener.Start(ctx); err != nil {
			t.Fatal(err)
		}
		stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = e.listener.Stop(stopCtx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
}
