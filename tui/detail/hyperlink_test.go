package detail

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/hyperlink"
)

const site = "https://acme.atlassian.net"

// linkCommon is testCommon with hyperlinks on and a client for the site.
func linkCommon(t *testing.T) *common.Common {
	t.Helper()
	c := testCommon()
	cl, err := jiraclient.New(site, jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: "t"}, jiraclient.WithFlavor(jiraclient.FlavorCloud))
	if err != nil {
		t.Fatal(err)
	}
	c.Client, c.Hyperlinks = cl, true
	return c
}

const linkDescription = `Broken since ABC-12 landed; see [the runbook](https://example.com/runbook?step=2#fix) and ` +
	`https://example.com/a/very/long/path/that/has/to/wrap/across/lines/when/the/page/is/narrow?with=query&and=more ` +
	`and [do not click](javascript:alert(1)) or [relative](/browse/X-1).

- blocks KP_2-7
- ` + "`ABC-99 in code`" + `
`

func linkIssue() *jiraclient.Issue {
	is := richIssue()
	is.Description = linkDescription
	is.Comments[0].Body = "Duplicate of OPS-4, details at https://status.example.com/incidents/42"
	return is
}

var osc8RE = regexp.MustCompile("\x1b\\]8;[^;\x07]*;([^\x07]*)\x07")

// links shows each OSC 8 link as ⟨target⟩text⟨/⟩ and strips the styles,
// so a golden file shows which text links where.
func links(s string) string {
	s = osc8RE.ReplaceAllStringFunc(s, func(seq string) string {
		target := osc8RE.FindStringSubmatch(seq)[1]
		if target == "" {
			return "⟨/⟩"
		}
		return "⟨" + target + "⟩"
	})
	return ansi.Strip(s)
}

// TestHyperlinks: with links on, keys link to the site's browse page and
// web links keep their target; links that are not http(s) are plain text.
func TestHyperlinks(t *testing.T) {
	m := New(linkCommon(t)).SetSize(80, 60).SetIssue(linkIssue())
	v := m.View()
	if err := hyperlink.Verify(v); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, links(v))
	for _, want := range []string{
		"⟨https://acme.atlassian.net/browse/ABC-12⟩ABC-12⟨/⟩",
		"⟨https://example.com/runbook?step=2#fix⟩the runbook⟨/⟩",
		"⟨https://acme.atlassian.net/browse/KP_2-7⟩KP_2-7⟨/⟩",
		"⟨https://acme.atlassian.net/browse/OPS-4⟩OPS-4⟨/⟩",
		"⟨https://status.example.com/incidents/42⟩https://status.example.com/incidents/42⟨/⟩",
	} {
		if !strings.Contains(links(v), want) {
			t.Errorf("no %s in\n%s", want, links(v))
		}
	}
	for _, bad := range []string{"javascript:", "⟨/browse/X-1⟩"} {
		if strings.Contains(links(v), "⟨"+bad) || strings.Contains(links(v), bad+"⟩") {
			t.Errorf("a link to %s reached the screen", bad)
		}
	}

	// Off: not one OSC, glamour's own links included.
	c := linkCommon(t)
	c.Hyperlinks = false
	off := New(c).SetSize(80, 60).SetIssue(linkIssue()).View()
	if strings.Contains(off, "\x1b]") {
		t.Errorf("links off, yet an OSC reached the screen: %q", off)
	}
	if ansi.Strip(off) != ansi.Strip(v) {
		t.Error("links changed the text on screen")
	}
}

// TestHyperlinksWrap: at every width, and scrolled, each line of the
// detail and the preview holds only whole, clean links closed on that
// line, and the wrapped long URL links to the whole URL on each line.
func TestHyperlinksWrap(t *testing.T) {
	const long = "https://example.com/a/very/long/path/that/has/to/wrap/across/lines/when/the/page/is/narrow?with=query&and=more"
	for w := 20; w <= 130; w += 7 {
		m := New(linkCommon(t)).SetSize(w, 40).SetIssue(linkIssue())
		for _, k := range []string{"", "ctrl+d", "ctrl+d", "G"} {
			if k != "" {
				m, _ = send(t, m, press(k))
			}
			v := m.View()
			if err := hyperlink.Verify(v); err != nil {
				t.Fatalf("width %d after %q: %v", w, k, err)
			}
			checkFrame(t, v, w, 40)
		}
		top := New(linkCommon(t)).SetSize(w, 200).SetIssue(linkIssue()).View()
		// Links take no room: the page is laid out exactly as without.
		offC := linkCommon(t)
		offC.Hyperlinks = false
		if off := New(offC).SetSize(w, 200).SetIssue(linkIssue()).View(); ansi.Strip(off) != ansi.Strip(top) {
			t.Errorf("width %d: links moved the text", w)
		}
		n := strings.Count(top, "\x1b]8;id=")
		if n == 0 || strings.Count(links(top), "⟨/⟩") != n {
			t.Errorf("width %d: %d links opened, %d closed", w, n, strings.Count(links(top), "⟨/⟩"))
		}
		for _, l := range strings.Split(top, "\n") {
			if strings.Contains(ansi.Strip(l), "/wrap/") && !strings.Contains(l, ";"+long+"\x07") {
				t.Errorf("width %d: a piece of the long URL links elsewhere: %q", w, links(l))
			}
		}
		if err := hyperlink.Verify(Preview(linkCommon(t), linkIssue(), w, 30, 0)); err != nil {
			t.Errorf("preview at width %d: %v", w, err)
		}
	}
}
