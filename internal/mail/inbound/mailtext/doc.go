// Package mailtext turns a raw inbound mail (RFC 5322, MIME) into what the
// play-by-mail pipeline needs: a few decoded headers and the body as plain
// UTF-8 text, whatever multipart structure, transfer encoding or charset the
// player's mail client chose.
//
// It never panics and its work is bounded by the size of its input: nested
// multiparts are read to a fixed depth and a fixed number of parts, and the
// text is capped, so a hostile message costs no more than a large honest one.
package mailtext
