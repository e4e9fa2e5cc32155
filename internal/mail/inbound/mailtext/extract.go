package mailtext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	// Registers the charset decoders: without it only UTF-8 and US-ASCII
	// bodies and headers would be readable.
	_ "github.com/emersion/go-message/charset"
	gomail "github.com/emersion/go-message/mail"
)

// Message is what the pipeline reads from one inbound mail. Every string is
// valid UTF-8.
type Message struct {
	// MessageID is the Message-ID without angle brackets; "" when absent.
	MessageID string
	// From is the address of the first From mailbox, as written
	// ("Player@Example.org"); "" when there is none that can be read.
	From string
	// FromName is the display name of that mailbox, decoded.
	FromName string
	// Subject is the decoded Subject, on one line.
	Subject string
	// InReplyTo is the first message id of In-Reply-To, without brackets.
	InReplyTo string
	// References are the message ids of References, oldest first.
	References []string
	// Date is the Date header; the zero time when missing or unreadable.
	Date time.Time
	// AutoSubmitted is set for mail a machine sent on its own: vacation
	// notices, bounces, list traffic (RFC 3834 Auto-Submitted, Precedence
	// bulk/junk/list, X-Autoreply and the like). Answering such mail can
	// start a loop between two robots, so it should get no reply.
	AutoSubmitted bool
	// Text is the body as text with "\n" line ends: the first text/plain
	// part that is not an attachment, else the first text/html part turned
	// into text, else "".
	Text string
}

// Extract reads a raw message. It fails only when the header cannot be read
// at all, or when the body breaks before any text was found; in the latter
// case the headers are still returned, so that callers can key and route the
// mail. A message without a text part has Text "" and no error.
func Extract(raw []byte) (msg Message, err error) {
	// go-message is not written for hostile input; a panic in it must not
	// take the mail pipeline down with it.
	defer func() {
		if r := recover(); r != nil {
			msg, err = Message{}, fmt.Errorf("the message cannot be read: %v", r)
		}
	}()
	e, err := readEntity(raw)
	if err != nil {
		return Message{}, fmt.Errorf("the message header cannot be read: %w", err)
	}
	msg = headers(gomail.Header{Header: e.Header})
	var f finder
	f.visit(e, 0)
	switch {
	case f.plain != nil:
		msg.Text = *f.plain
	case f.html != nil:
		msg.Text = htmlToText(*f.html)
	case f.err != nil:
		return msg, fmt.Errorf("the message body cannot be read: %w", f.err)
	}
	return msg, nil
}

// readEntity parses the header and prepares the body for reading.
func readEntity(raw []byte) (*message.Entity, error) {
	raw = skipMboxLine(raw)
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("the message is empty")
	}
	e, err := message.Read(bytes.NewReader(raw))
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// A message that is only a header, without the blank line that
		// ends it: read it as one with an empty body.
		e, err = message.Read(io.MultiReader(bytes.NewReader(raw), strings.NewReader("\r\n\r\n")))
	}
	if e != nil && isSoftError(err) {
		err = nil // an unknown charset or encoding: the body is read as is
	}
	if err != nil {
		return nil, err
	}
	if e.Header.Len() == 0 {
		return nil, errors.New("it has no header fields")
	}
	return e, nil
}

// skipMboxLine drops the "From sender date" line that mbox files and some
// pipes put before the header.
func skipMboxLine(raw []byte) []byte {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return raw
	}
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		return raw[i+1:]
	}
	return nil
}

// isSoftError reports errors after which go-message still returns an entity
// whose body can be read undecoded.
func isSoftError(err error) bool {
	return err != nil && (message.IsUnknownCharset(err) || message.IsUnknownEncoding(err))
}

// headers decodes the header fields a Message holds. Every field is read
// leniently: a malformed one is salvaged or left empty, never fatal.
func headers(h gomail.Header) Message {
	var m Message
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = cleanID(id)
	} else {
		m.MessageID = cleanID(h.Get("Message-Id"))
	}
	m.From, m.FromName = fromAddress(h)
	subject, _ := h.Subject() // on error it is the raw value, still useful
	m.Subject = oneLine(subject)
	if ids, _ := h.MsgIDList("In-Reply-To"); len(ids) > 0 {
		m.InReplyTo = cleanID(ids[0])
	} else if v := strings.Fields(h.Get("In-Reply-To")); len(v) > 0 {
		m.InReplyTo = cleanID(v[0])
	}
	ids, err := h.MsgIDList("References")
	if err != nil {
		ids = strings.Fields(h.Get("References"))
	}
	for _, id := range ids {
		if id = cleanID(id); id != "" {
			m.References = append(m.References, id)
		}
	}
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	m.AutoSubmitted = isAutoSubmitted(h)
	return m
}

// isAutoSubmitted reads the headers robots mark their mail with.
func isAutoSubmitted(h gomail.Header) bool {
	if v := strings.ToLower(strings.TrimSpace(beforeSemicolon(h.Get("Auto-Submitted")))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") {
		return true
	}
	// A null reverse path is a bounce (RFC 5321 §4.5.5).
	return strings.TrimSpace(h.Get("Return-Path")) == "<>"
}

// fromAddress returns the address and name of the first From mailbox. A From
// that net/mail rejects is often still "Name <addr>" with a stray character
// in the name: the bracketed address is then used alone.
func fromAddress(h gomail.Header) (addr, name string) {
	if list, err := h.AddressList("From"); err == nil && len(list) > 0 {
		return validText(list[0].Address), oneLine(list[0].Name)
	}
	v := h.Get("From")
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			if a, err := mail.ParseAddress(v[i : i+j+1]); err == nil {
				return validText(a.Address), oneLine(strings.Trim(strings.TrimSpace(v[:i]), `"`))
			}
		}
	}
	if a, err := mail.ParseAddress(strings.TrimSpace(v)); err == nil {
		return validText(a.Address), oneLine(a.Name)
	}
	return "", ""
}

// cleanID trims spaces and angle brackets from a message id.
func cleanID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimPrefix(id, "<")
	id = strings.TrimSuffix(id, ">")
	return validText(strings.TrimSpace(id))
}

// oneLine folds a header value onto one line of valid UTF-8.
func oneLine(s string) string {
	return validText(strings.Join(strings.Fields(s), " "))
}

// validText replaces invalid UTF-8 so that every string a Message holds can
// be stored and rendered.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
