package mailtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzExtract(f *testing.F) {
	f.Add([]byte("From: a@b\r\n\r\nhello"))
	f.Add([]byte("From: a@b\nContent-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/html\n\n<p>a<br>b</p>\n--x--\n"))
	f.Add([]byte("Subject: =?iso-8859-1?q?caf=E9?=\nContent-Type: text/plain; charset=koi8-r; format=flowed; delsp=yes\nContent-Transfer-Encoding: quoted-printable\n\n=C1=C2 \n> q\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Transfer-Encoding: base64\n\n!!!!\n--a--\n"))
	f.Add([]byte("Content-Type: text/html; charset=utf-16\n\n\xff\xfe<\x00p\x00>\x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Extract(raw)
		for name, s := range map[string]string{
			"Text": m.Text, "Subject": m.Subject, "From": m.From, "FromName": m.FromName,
			"MessageID": m.MessageID, "InReplyTo": m.InReplyTo, "References": strings.Join(m.References, " "),
		} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if strings.Contains(m.Text, "\r") {
			t.Fatalf("Text holds a CR: %q", m.Text)
		}
		if err != nil && m.Text != "" {
			t.Fatalf("an error (%v) with text %q", err, m.Text)
		}
	})
}
