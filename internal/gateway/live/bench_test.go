package live

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The benchmark's browsers run in a child process (this test binary again,
// see TestMain), for two reasons: 10,000 connections need 20,000 file
// descriptors with both ends in one process, more than the usual hard
// limit allows; and the memory measured in the benchmark's process is then
// the gateway's alone.
const (
	loadgenAddrEnv  = "GALAXY_BENCH_SSE_LOADGEN_ADDR"
	loadgenConnsEnv = "GALAXY_BENCH_SSE_LOADGEN_CONNS"
)

func TestMain(m *testing.M) {
	if addr := os.Getenv(loadgenAddrEnv); addr != "" {
		n, _ := strconv.Atoi(os.Getenv(loadgenConnsEnv))
		if err := loadgen(addr, n, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchGroup is how many users each benchmark event is addressed to, as
// for the players of one game.
const benchGroup = 100

// benchWindow is how many rounds may be in flight: below the queue length,
// so that no stream is dropped for being slow while the gateway keeps
// up.
const benchWindow = 8

// BenchmarkSSEConnections holds GALAXY_BENCH_SSE_CONNS (default 10,000)
// SSE connections open to a Handler and fans events out to them.
//
// Reported:
//   - conns: connections held.
//   - bytes/conn: growth of HeapInuse+StackInuse in this process between
//     before the first connection and once all are open and idle (after
//     two collections, which also shrink idle goroutine stacks), divided by
//     the number of connections. It counts everything the gateway holds per
//     stream: the goroutine (stack and descriptor), the socket's Go side
//     (net.Conn, netFD), the Hub registration and queue, the heartbeat
//     timer, and whatever net/http still holds (with hijacking, nothing;
//     in place, its connection state, read and write buffers, request,
//     context and background-read goroutine). It does not count kernel
//     socket buffers, nor the clients (another process).
//   - stack-bytes/conn: the part of bytes/conn that is goroutine stacks.
//   - goroutines/conn: goroutines added per connection.
//   - deliveries/s: events written and flushed to connections per second,
//     while GALAXY_BENCH_SSE_ROUNDS (default 50) rounds each send one event
//     to every connection, as events of benchGroup users each, with at most
//     benchWindow rounds in flight.
//   - p50-ms, p99-ms: time from Publish to the client reading the event,
//     over every delivery, under that load (so queueing in the window is
//     included).
//   - round-p50-ms, round-p99-ms: the same over 10 more rounds published
//     one at a time (each waits for the previous to be delivered): how
//     long one event to every connection takes to fan out.
//
// Clients and gateway share the machine's cores, so deliveries/s is what
// the pair achieves; the gateway alone would do better.
//
// GALAXY_BENCH_SSE_NO_HIJACK=1 serves the streams in place, through the
// ResponseWriter, as over HTTP/2, to compare.
//
// Run it alone: go test -run '^$' -bench BenchmarkSSEConnections -benchtime 1x ./internal/gateway/live/
func BenchmarkSSEConnections(b *testing.B) {
	conns := envInt(b, "GALAXY_BENCH_SSE_CONNS", 10_000)
	rounds := envInt(b, "GALAXY_BENCH_SSE_ROUNDS", 50) * b.N
	conns = max(benchGroup, conns/benchGroup*benchGroup)
	raiseFileLimit(b, conns+512)

	hub := NewHub()
	h := NewHandler(hub, func(r *http.Request) (string, string, bool) {
		u := r.URL.Query().Get("u")
		return u, "bench", u != ""
	})
	var served http.Handler = h
	if os.Getenv("GALAXY_BENCH_SSE_NO_HIJACK") != "" {
		served = noHijack(h) // for comparison: net/http's own costs
	}
	ts := httptest.NewServer(served)
	defer func() {
		hub.Close()
		_ = h.Wait(b.Context())
		ts.Close()
	}()

	runtime.GC()
	runtime.GC()
	before := readMem()
	goroutinesBefore := runtime.NumGoroutine()

	child := startLoadgen(b, ts.Listener.Addr().String(), conns)
	deadline := time.Now().Add(5 * time.Minute)
	for hub.Stats().Open < conns {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d connections open", hub.Stats().Open, conns)
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC()
	runtime.GC()
	after := readMem()
	perConn := float64(after.HeapInuse+after.StackInuse-before.HeapInuse-before.StackInuse) / float64(conns)
	stackPerConn := float64(after.StackInuse-before.StackInuse) / float64(conns)
	goroutinesPerConn := float64(runtime.NumGoroutine()-goroutinesBefore) / float64(conns)

	// Every round addresses every user once, benchGroup users at a time.
	groups := make([][]string, conns/benchGroup)
	for g := range groups {
		for i := range benchGroup {
			groups[g] = append(groups[g], "u"+strconv.Itoa(g*benchGroup+i))
		}
	}
	waitDelivered := func(n uint64) {
		for {
			s := hub.Stats()
			if s.DroppedSlow > 0 {
				b.Fatalf("%d streams dropped as too slow: %+v", s.DroppedSlow, s)
			}
			if s.Delivered >= n {
				return
			}
			if time.Now().After(deadline) {
				b.Fatalf("delivered %d of %d: %+v", s.Delivered, n, s)
			}
			runtime.Gosched()
		}
	}

	deadline = time.Now().Add(10 * time.Minute)
	base := hub.Stats().Delivered
	b.ResetTimer()
	start := time.Now()
	var payload []byte
	for r := range rounds {
		if r >= benchWindow {
			waitDelivered(base + uint64((r-benchWindow+1)*conns))
		}
		for _, users := range groups {
			payload = fmt.Appendf(payload[:0], `{"t":%d}`, time.Now().UnixNano())
			if err := hub.Publish(Event{Kind: "bench.tick", UserIDs: users, Payload: payload}); err != nil {
				b.Fatal(err)
			}
		}
	}
	total := uint64(rounds * conns)
	waitDelivered(base + total)
	elapsed := time.Since(start)
	b.StopTimer()
	loaded := child.report(b, total)

	const singleRounds = 10
	for r := range singleRounds {
		for _, users := range groups {
			payload = fmt.Appendf(payload[:0], `{"t":%d}`, time.Now().UnixNano())
			if err := hub.Publish(Event{Kind: "bench.tick", UserIDs: users, Payload: payload}); err != nil {
				b.Fatal(err)
			}
		}
		waitDelivered(base + total + uint64((r+1)*conns))
	}
	single := child.report(b, total+singleRounds*uint64(conns))
	b.ReportMetric(0, "ns/op") // a scenario, not a per-op cost
	b.ReportMetric(float64(conns), "conns")
	b.ReportMetric(perConn, "bytes/conn")
	b.ReportMetric(stackPerConn, "stack-bytes/conn")
	b.ReportMetric(goroutinesPerConn, "goroutines/conn")
	b.ReportMetric(float64(total)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(loaded.P50)/1e6, "p50-ms")
	b.ReportMetric(float64(loaded.P99)/1e6, "p99-ms")
	b.ReportMetric(float64(single.P50)/1e6, "round-p50-ms")
	b.ReportMetric(float64(single.P99)/1e6, "round-p99-ms")
}

func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

func readMem() runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// raiseFileLimit lifts the soft limit on open files to the hard one and
// checks it allows need.
func raiseFileLimit(tb testing.TB, need int) {
	tb.Helper()
	if err := setFileLimit(); err != nil {
		tb.Fatalf("raise RLIMIT_NOFILE: %v", err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
	if lim.Cur < uint64(need) {
		tb.Skipf("RLIMIT_NOFILE is %d, %d needed: lower GALAXY_BENCH_SSE_CONNS", lim.Cur, need)
	}
}

func setFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	lim.Cur = lim.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// --- the browsers' process --------------------------------------------------

// loadgenResult is what the browsers' process reports: events received in
// all, and the latencies of those since the previous report.
type loadgenResult struct {
	Received uint64 `json:"received"`
	P50      int64  `json:"p50_ns"`
	P99      int64  `json:"p99_ns"`
}

// loadgenProc is the running browsers' process.
type loadgenProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startLoadgen starts the browsers' process and waits until every
// connection has its response headers.
func startLoadgen(b *testing.B, addr string, conns int) *loadgenProc {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), loadgenAddrEnv+"="+addr, loadgenConnsEnv+"="+strconv.Itoa(conns))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &loadgenProc{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	b.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill() // no-op once it has exited
		_ = cmd.Wait()
	})
	line, err := p.out.ReadString('\n')
	if err != nil || line != "connected\n" {
		b.Fatalf("loadgen: %q, %v", line, err)
	}
	return p
}

// report tells the browsers' process how many events to expect in all and
// reads its report once it has them.
func (p *loadgenProc) report(b *testing.B, expected uint64) loadgenResult {
	b.Helper()
	if _, err := fmt.Fprintf(p.stdin, "%d\n", expected); err != nil {
		b.Fatal(err)
	}
	var res loadgenResult
	if err := json.NewDecoder(p.out).Decode(&res); err != nil {
		b.Fatalf("loadgen report: %v", err)
	}
	if res.Received != expected {
		b.Fatalf("browsers received %d events, want %d", res.Received, expected)
	}
	return res
}

// loadgen is the browsers' process: it opens n streams to addr as users
// u0..u(n-1), prints "connected", and reads every stream. Each number read
// from in is a count of events to expect in all: it waits for them, then
// prints a loadgenResult, until in ends.
func loadgen(addr string, n int, in io.Reader, out io.Writer) error {
	if err := setFileLimit(); err != nil {
		return err
	}
	var (
		received atomic.Uint64
		hist     latencyHistogram
		wg       sync.WaitGroup
		failed   atomic.Pointer[error]
		sem      = make(chan struct{}, 64) // dials in flight
	)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			body, err := openBench(addr, i)
			<-sem
			wg.Done()
			if err != nil {
				failed.CompareAndSwap(nil, &err)
				return
			}
			readBench(body, &received, &hist)
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return *err
	}
	fmt.Fprintln(out, "connected")

	for {
		var expected uint64
		if _, err := fmt.Fscan(in, &expected); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		deadline := time.Now().Add(5 * time.Minute)
		for received.Load() < expected {
			if time.Now().After(deadline) {
				return fmt.Errorf("received %d of %d events", received.Load(), expected)
			}
			time.Sleep(time.Millisecond)
		}
		err := json.NewEncoder(out).Encode(loadgenResult{
			Received: received.Load(),
			P50:      hist.quantile(0.50),
			P99:      hist.quantile(0.99),
		})
		if err != nil {
			return err
		}
		hist.reset()
	}
}

// openBench opens the stream of user u<i> and returns its body once the
// response headers are in (so the stream is registered).
func openBench(addr string, i int) (io.Reader, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	req := "GET /events?u=u" + strconv.Itoa(i) + " HTTP/1.1\r\nHost: bench\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(c, 1024), nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /events: %s", resp.Status)
	}
	return resp.Body, nil // de-chunked, if it was chunked
}

// readBench reads a stream until it ends, timing each benchmark event.
func readBench(body io.Reader, received *atomic.Uint64, hist *latencyHistogram) {
	prefix := []byte(`data: {"t":`)
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		sent, err := strconv.ParseInt(string(bytes.TrimSuffix(line[len(prefix):], []byte("}"))), 10, 64)
		if err != nil {
			continue
		}
		hist.add(time.Now().UnixNano() - sent)
		received.Add(1)
	}
}

// latencyHistogram counts latencies in 10 µs buckets up to 10 s, safely
// from many goroutines.
type latencyHistogram struct {
	buckets [1_000_001]atomic.Uint64
}

const latencyBucket = int64(10 * time.Microsecond)

func (h *latencyHistogram) add(ns int64) {
	i := min(max(ns, 0)/latencyBucket, int64(len(h.buckets)-1))
	h.buckets[i].Add(1)
}

// reset forgets every latency counted so far.
func (h *latencyHistogram) reset() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
}

// quantile returns the upper bound of the bucket holding quantile q.
func (h *latencyHistogram) quantile(q float64) int64 {
	var total uint64
	for i := range h.buckets {
		total += h.buckets[i].Load()
	}
	rank := uint64(q * float64(total))
	var seen uint64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen > rank {
			return int64(i+1) * latencyBucket
		}
	}
	return int64(len(h.buckets)) * latencyBucket
}
