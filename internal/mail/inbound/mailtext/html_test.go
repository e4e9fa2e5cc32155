package mailtext

import "testing"

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, html, want string }{
		{"blocks and br end lines", "<div>one</div><div>two<br>three</div><p>four</p>", "one\ntwo\nthree\nfour"},
		{"white space collapses", "<p>  #GALAXY\n   g\tOrcs   pw </p>", "#GALAXY g Orcs pw"},
		{"nbsp is a space that does not collapse", "<div>p&nbsp;1&nbsp;&nbsp; Drone</div>", "p 1   Drone"},
		{"entities are decoded", "<p>a&nbsp;&nbsp;b &lt;c&gt; &amp; &#8364; &eacute;</p>", "a  b <c> & € é"},
		{"script, style and head are dropped", "<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><p>kept</p></body></html>", "kept"},
		{"an unclosed head does not hide the body", "<head><title>T</title><body>seen", "seen"},
		{"pre keeps its lines", "<pre>p 1 Drone\n  s 2 Mars</pre>", "p 1 Drone\n  s 2 Mars"},
		{"blockquote lines are quoted", "<div>my answer</div><blockquote><div>#GALAXY old Orcs pw</div><blockquote>older</blockquote></blockquote><div>after</div>", "my answer\n> #GALAXY old Orcs pw\n>> older\nafter"},
		{"one blank line at most", "<div>a</div><br><br><br><br><div>b</div>", "a\n\nb"},
		{"table cells are spaced", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"inline tags join", "<p><b>bold</b><i>italic</i> <a href=x>link</a></p>", "bolditalic link"},
		{"comments vanish", "<p>a<!-- hidden -->b</p>", "ab"},
		{"broken markup", "<p>a<div <<>b</p", "a\nb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := htmlToText(c.html); got != c.want {
				t.Errorf("htmlToText(%q)\n = %q\nwant %q", c.html, got, c.want)
			}
		})
	}
}

func TestUnflow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    string
		delsp bool
		want  string
	}{
		{"soft breaks join", "a \nb \nc\nd", false, "a b c\nd"},
		{"delsp removes the marker space", "abc \ndef", true, "abcdef"},
		{"space stuffing is removed", " From me\n >not quoted", false, "From me\n>not quoted"},
		{"quote depth change breaks a paragraph", ">a \n>>b\nc", false, "> a \n>> b\nc"},
		{"signature is not flowed", "text\n-- \nsig", false, "text\n-- \nsig"},
		{"soft last line is kept", "end ", false, "end "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := unflow(c.in, c.delsp); got != c.want {
				t.Errorf("unflow(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
