package httpapi

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The attributes of server spans and metrics follow the OpenTelemetry HTTP
// semantic conventions exactly as otelhttp (v0.72) sets them, so traces and
// dashboards read the same before and after the observer replaced it.

// knownMethods are the methods the conventions name; others are "_OTHER"
// (metrics) or "HTTP" (span names), with the original kept on spans.
var knownMethods = map[string]attribute.KeyValue{
	http.MethodConnect: semconv.HTTPRequestMethodConnect,
	http.MethodDelete:  semconv.HTTPRequestMethodDelete,
	http.MethodGet:     semconv.HTTPRequestMethodGet,
	http.MethodHead:    semconv.HTTPRequestMethodHead,
	http.MethodOptions: semconv.HTTPRequestMethodOptions,
	http.MethodPatch:   semconv.HTTPRequestMethodPatch,
	http.MethodPost:    semconv.HTTPRequestMethodPost,
	http.MethodPut:     semconv.HTTPRequestMethodPut,
	http.MethodTrace:   semconv.HTTPRequestMethodTrace,
}

// spanMethod is a server span's name before the route is known.
func spanMethod(method string) string {
	method = strings.ToUpper(method)
	if _, ok := knownMethods[method]; !ok {
		return "HTTP"
	}
	return method
}

// spanAttributes appends a server span's attributes: the request's, its
// matched route (pattern is the mux's "GET /path"), and the response's.
func spanAttributes(kvs []attribute.KeyValue, r *http.Request, pattern string, status int, read, written int64) []attribute.KeyValue {
	host, port := splitHostPort(r.Host)
	method, known := knownMethods[r.Method]
	if !known {
		method = semconv.HTTPRequestMethodOther
		if m, ok := knownMethods[strings.ToUpper(r.Method)]; ok {
			method = m
		}
	}
	kvs = append(kvs, semconv.ServerAddress(host), method, scheme(r))
	if port = requiredPort(r.TLS != nil, port); port > 0 {
		kvs = append(kvs, semconv.ServerPort(port))
	}
	if !known {
		kvs = append(kvs, semconv.HTTPRequestMethodOriginal(r.Method))
	}
	peer, peerPort := splitHostPort(r.RemoteAddr)
	if peer != "" {
		kvs = append(kvs, semconv.NetworkPeerAddress(peer))
		if peerPort > 0 {
			kvs = append(kvs, semconv.NetworkPeerPort(peerPort))
		}
	}
	if ua := r.UserAgent(); ua != "" {
		kvs = append(kvs, semconv.UserAgentOriginal(ua))
	}
	client := r.Header.Get("X-Forwarded-For")
	if i := strings.IndexByte(client, ','); i >= 0 {
		client = client[:i]
	}
	if client == "" {
		client = peer
	}
	if client != "" {
		kvs = append(kvs, semconv.ClientAddress(client))
	}
	if r.URL != nil && r.URL.Path != "" {
		kvs = append(kvs, semconv.URLPath(r.URL.Path))
	}
	name, version := netProtocol(r.Proto)
	if name != "" && name != "http" {
		kvs = append(kvs, semconv.NetworkProtocolName(name))
	}
	if version != "" {
		kvs = append(kvs, semconv.NetworkProtocolVersion(version))
	}
	if route := httpRoute(pattern); route != "" {
		kvs = append(kvs, semconv.HTTPRoute(route))
	}
	if read > 0 {
		kvs = append(kvs, semconv.HTTPRequestBodySize(int(read)))
	}
	if written > 0 {
		kvs = append(kvs, semconv.HTTPResponseBodySize(int(written)))
	}
	return append(kvs, semconv.HTTPResponseStatusCode(status))
}

// metricAttributes appends the attributes of the request metrics.
func metricAttributes(kvs []attribute.KeyValue, r *http.Request, pattern string, status int) []attribute.KeyValue {
	host, port := splitHostPort(r.Host)
	method := strings.ToUpper(r.Method)
	if _, ok := knownMethods[method]; !ok {
		method = "_OTHER"
	}
	kvs = append(kvs, semconv.HTTPRequestMethodKey.String(method), scheme(r), semconv.ServerAddress(host))
	if port = requiredPort(r.TLS != nil, port); port > 0 {
		kvs = append(kvs, semconv.ServerPort(port))
	}
	name, version := netProtocol(r.Proto)
	if name != "" {
		kvs = append(kvs, semconv.NetworkProtocolName(name))
	}
	if version != "" {
		kvs = append(kvs, semconv.NetworkProtocolVersion(version))
	}
	kvs = append(kvs, semconv.HTTPResponseStatusCode(status))
	if route := httpRoute(pattern); route != "" {
		kvs = append(kvs, semconv.HTTPRoute(route))
	}
	return kvs
}

func scheme(r *http.Request) attribute.KeyValue {
	if r.TLS != nil {
		return semconv.URLScheme("https")
	}
	return semconv.URLScheme("http")
}

// httpRoute is the path part of a mux pattern ("GET /a/{id}" → "/a/{id}").
func httpRoute(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

// requiredPort is the port to report: none (-1) when it is the scheme's
// default.
func requiredPort(https bool, port int) int {
	if (https && port == 443) || (!https && port == 80) {
		return -1
	}
	return port
}

// netProtocol splits "HTTP/1.1" into ("http", "1.1").
func netProtocol(proto string) (name, version string) {
	name, version, _ = strings.Cut(proto, "/")
	switch name {
	case "HTTP":
		name = "http"
	case "QUIC":
		name = "quic"
	case "SPDY":
		name = "spdy"
	default:
		name = strings.ToLower(name)
	}
	return name, version
}

// splitHostPort splits "host:port", "[v6]:port", "host" or "[v6]"; port is
// -1 when absent or invalid.
func splitHostPort(hostport string) (host string, port int) {
	port = -1
	if strings.HasPrefix(hostport, "[") {
		end := strings.LastIndexByte(hostport, ']')
		if end < 0 {
			return "", port
		}
		if strings.LastIndexByte(hostport[end:], ':') < 0 {
			return hostport[1:end], port
		}
	} else if strings.LastIndexByte(hostport, ':') < 0 {
		return hostport, port
	}
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", port
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return host, port
	}
	return host, int(n)
}
