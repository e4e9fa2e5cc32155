package mailtext

import (
	"strings"
	"testing"
	"time"
)

// crlf turns a test message written with "\n" into the CRLF form SMTP
// delivers.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

func mustExtract(t *testing.T, raw []byte) Message {
	t.Helper()
	m, err := Extract(raw)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return m
}

func TestExtractHeaders(t *testing.T) {
	t.Parallel()
	raw := crlf(`Return-Path: <orc@example.org>
From: =?ISO-8859-1?Q?Ren=E9e_Orc?= <Orc.Leader@Example.ORG>
To: orders@galaxy.example
Subject: =?UTF-8?B?T3JkZXJzIGZvciB0dXJuIDUg4pyU?=
 (folded)
Date: Tue, 3 Jun 2025 14:07:09 +0200
Message-ID: <  CAF123.456@mail.example.org  >
In-Reply-To: <report-5@galaxy.example>
References: <welcome@galaxy.example>
 <report-5@galaxy.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

#GALAXY Andromeda Orcs secret
#END
`)
	m := mustExtract(t, raw)
	want := Message{
		MessageID:  "CAF123.456@mail.example.org",
		From:       "Orc.Leader@Example.ORG",
		FromName:   "Renée Orc",
		Subject:    "Orders for turn 5 ✔ (folded)",
		InReplyTo:  "report-5@galaxy.example",
		References: []string{"welcome@galaxy.example", "report-5@galaxy.example"},
		Text:       "#GALAXY Andromeda Orcs secret\n#END\n",
	}
	if m.MessageID != want.MessageID || m.From != want.From || m.FromName != want.FromName ||
		m.Subject != want.Subject || m.InReplyTo != want.InReplyTo || m.Text != want.Text {
		t.Errorf("got  %+v\nwant %+v", m, want)
	}
	if strings.Join(m.References, ",") != strings.Join(want.References, ",") {
		t.Errorf("References = %q, want %q", m.References, want.References)
	}
	if wantDate := time.Date(2025, 6, 3, 12, 7, 9, 0, time.UTC); !m.Date.Equal(wantDate) {
		t.Errorf("Date = %v, want %v", m.Date, wantDate)
	}
}

func TestExtractLenientHeaders(t *testing.T) {
	t.Parallel()
	t.Run("missing and bad headers are left empty", func(t *testing.T) {
		t.Parallel()
		m := mustExtract(t, crlf("From: not an address\nDate: yesterday\nX-Other: 1\n\nhello\n"))
		if m.From != "" || !m.Date.IsZero() || m.MessageID != "" || m.References != nil {
			t.Errorf("got %+v", m)
		}
		if m.Text != "hello\n" {
			t.Errorf("Text = %q", m.Text)
		}
	})
	t.Run("a message id without brackets is kept", func(t *testing.T) {
		t.Parallel()
		m := mustExtract(t, crlf("Message-ID: abc@def\nIn-Reply-To: x@y (comment)\n\nhi"))
		if m.MessageID != "abc@def" || m.InReplyTo != "x@y" {
			t.Errorf("MessageID %q InReplyTo %q", m.MessageID, m.InReplyTo)
		}
	})
	t.Run("a From with a broken name still gives the address", func(t *testing.T) {
		t.Parallel()
		m := mustExtract(t, crlf("From: Orc [Leader] <orc@example.org>\n\nhi"))
		if m.From != "orc@example.org" {
			t.Errorf("From = %q", m.From)
		}
	})
	t.Run("an mbox From line is skipped", func(t *testing.T) {
		t.Parallel()
		m := mustExtract(t, []byte("From orc@example.org Tue Jun  3 14:07:09 2025\nFrom: orc@example.org\n\nhi\n"))
		if m.From != "orc@example.org" || m.Text != "hi\n" {
			t.Errorf("got %+v", m)
		}
	})
	t.Run("a header without a body", func(t *testing.T) {
		t.Parallel()
		m := mustExtract(t, []byte("From: orc@example.org\r\nSubject: nothing"))
		if m.From != "orc@example.org" || m.Subject != "nothing" || m.Text != "" {
			t.Errorf("got %+v", m)
		}
	})
}

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	for name, raw := range map[string]string{
		"empty":                      "",
		"only blank lines":           "\r\n\r\n",
		"not a header":               "hello there, this is not a mail\n\nbody",
		"header starts with a space": " From: x@y\n\nbody",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := Extract([]byte(raw)); err == nil {
				t.Fatal("want an error")
			} else if !strings.Contains(err.Error(), "cannot be read") && !strings.Contains(err.Error(), "empty") {
				t.Errorf("error %q does not say why", err)
			}
		})
	}
}

func TestExtractBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		raw  []byte
		want string
	}{
		{
			name: "plain, no MIME at all",
			raw:  []byte("From: orc@example.org\n\n#GALAXY g Orcs pw\n\td Drone 1 0 0 0 0\n#END\n"),
			want: "#GALAXY g Orcs pw\n\td Drone 1 0 0 0 0\n#END\n",
		},
		{
			name: "CRLF and lone CR become LF, tabs stay",
			raw:  []byte("From: orc@example.org\r\n\r\nline 1\r\n\tline 2\rline 3\r\n"),
			want: "line 1\n\tline 2\nline 3\n",
		},
		{
			name: "quoted-printable with soft breaks and an encoded byte",
			raw: crlf(`From: orc@example.org
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

#GALAXY "Andromeda Rising" Orcs secret
@ Elves=0AWe come in peace, ple=
ase believe us =E2=80=94 the Orcs
=3D=3D
#END
`),
			want: "#GALAXY \"Andromeda Rising\" Orcs secret\n@ Elves\nWe come in peace, please believe us — the Orcs\n==\n#END\n",
		},
		{
			name: "base64 split over lines",
			raw: crlf(`From: orc@example.org
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

I0dBTEFYWSBnIE9yY3MgcHcKcCAxIERyb25lCiNFTkQK
`),
			want: "#GALAXY g Orcs pw\np 1 Drone\n#END\n",
		},
		{
			name: "ISO-8859-1",
			raw:  crlf("From: orc@example.org\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nR\xe9sum\xe9: \xabpeace\xbb\n"),
			want: "Résumé: «peace»\n",
		},
		{
			name: "windows-1252 in quoted-printable",
			raw:  crlf("From: orc@example.org\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n=93Hello=94 =80 5 =96 done\n"),
			want: "“Hello” € 5 – done\n",
		},
		{
			name: "undeclared 8-bit text is read as windows-1252",
			raw:  crlf("From: orc@example.org\n\nna\xefve \x93quote\x94\n"),
			want: "naïve “quote”\n",
		},
		{
			name: "invalid UTF-8 in a UTF-8 part becomes U+FFFD",
			raw:  crlf("From: orc@example.org\nContent-Type: text/plain; charset=utf-8\n\nbad \xff byte\n"),
			want: "bad \uFFFD byte\n",
		},
		{
			name: "unknown charset is read as is",
			raw:  crlf("From: orc@example.org\nContent-Type: text/plain; charset=x-klingon\n\nplain ascii\n"),
			want: "plain ascii\n",
		},
		{
			name: "unknown transfer encoding is read as is",
			raw:  crlf("From: orc@example.org\nContent-Transfer-Encoding: x-uuencode\n\nstill text\n"),
			want: "still text\n",
		},
		{
			name: "byte order mark is dropped",
			raw:  crlf("From: orc@example.org\n\n\xef\xbb\xbf#REPORT g Orcs pw\n"),
			want: "#REPORT g Orcs pw\n",
		},
		{
			name: "multipart/alternative takes text/plain even after the HTML",
			raw: crlf(`From: orc@example.org
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/html; charset=utf-8

<p>html version</p>
--alt
Content-Type: text/plain; charset=utf-8

plain version
--alt--
`),
			want: "plain version",
		},
		{
			name: "multipart/alternative with HTML only",
			raw: crlf(`From: orc@example.org
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000abcd"

--000000000000abcd
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr"><div>#GALAXY g Orcs pw</div><div>p&nbsp;1 Drone</div><div>=
<br></div><div>#END</div></div>
--000000000000abcd--
`),
			want: "#GALAXY g Orcs pw\np 1 Drone\n\n#END",
		},
		{
			name: "nested multipart with an attachment before the text",
			raw: crlf(`From: orc@example.org
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

This is a multi-part message in MIME format.
--mixed
Content-Type: text/plain; name="orders-old.txt"
Content-Disposition: attachment; filename="orders-old.txt"

#GALAXY g Orcs pw
old orders
#END
--mixed
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

new orders, caf=E9
--alt
Content-Type: text/html; charset=iso-8859-1

<p>new orders</p>
--alt--
--rel
Content-Type: image/png
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
--mixed--
`),
			want: "new orders, café",
		},
		{
			name: "only an attachment: no text",
			raw: crlf(`From: orc@example.org
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain
Content-Disposition: attachment; filename=a.txt

secret
--b--
`),
			want: "",
		},
		{
			name: "only an image: no text",
			raw:  crlf("From: orc@example.org\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"),
			want: "",
		},
		{
			name: "multipart without a closing boundary keeps its text",
			raw:  crlf("From: orc@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ntruncated orders\n"),
			want: "truncated orders",
		},
		{
			name: "format=flowed is rejoined",
			raw: crlf("From: orc@example.org\nContent-Type: text/plain; charset=utf-8; format=flowed\n\n" +
				"#RELAY g Orcs pw Elves\nThis is a long message that the client \nwrapped for us.\n>quoted \n>rest\n-- \nsig\n"),
			want: "#RELAY g Orcs pw Elves\nThis is a long message that the client wrapped for us.\n> quoted rest\n-- \nsig\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := mustExtract(t, c.raw).Text; got != c.want {
				t.Errorf("Text = %q\nwant   %q", got, c.want)
			}
		})
	}
}

func TestExtractBoundsNesting(t *testing.T) {
	t.Parallel()
	// The text sits deeper than maxDepth: it is not reached, and nothing
	// breaks.
	var b strings.Builder
	b.WriteString("From: orc@example.org\r\n")
	depth := maxDepth + 5
	for i := range depth {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + string(rune('a'+i)) + "\r\n\r\n")
		b.WriteString("--b" + string(rune('a'+i)) + "\r\n")
	}
	b.WriteString("Content-Type: text/plain\r\n\r\ndeep text\r\n")
	for i := depth - 1; i >= 0; i-- {
		b.WriteString("--b" + string(rune('a'+i)) + "--\r\n")
	}
	m := mustExtract(t, []byte(b.String()))
	if m.Text != "" {
		t.Errorf("Text = %q, want nothing past depth %d", m.Text, maxDepth)
	}
}

func TestExtractManyParts(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("From: orc@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	for range maxParts + 10 {
		b.WriteString("--b\r\nContent-Type: image/gif\r\n\r\nx\r\n")
	}
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\ntoo late\r\n--b--\r\n")
	if m := mustExtract(t, []byte(b.String())); m.Text != "" {
		t.Errorf("Text = %q, want the walk to stop after %d parts", m.Text, maxParts)
	}
}

func TestExtractAutoSubmitted(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   bool
	}{
		{"Auto-Submitted: auto-replied", true},
		{"Auto-Submitted: auto-generated; owner-email=x@y", true},
		{"Auto-Submitted: no", false},
		{"Precedence: bulk", true},
		{"Precedence: first-class", false},
		{"X-Autoreply: yes", true},
		{"Return-Path: <>", true},
		{"Return-Path: <orc@example.org>", false},
		{"X-Auto-Response-Suppress: All", false},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			t.Parallel()
			m := mustExtract(t, crlf("From: orc@example.org\n"+c.header+"\n\nOut of office"))
			if m.AutoSubmitted != c.want {
				t.Errorf("AutoSubmitted = %v, want %v", m.AutoSubmitted, c.want)
			}
		})
	}
}
