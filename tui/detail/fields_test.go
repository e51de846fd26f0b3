package detail

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// fakeClient serves the demo in flavour fl and returns a client on it.
func fakeClient(t testing.TB, fl string) (*fakejira.Server, *jiraclient.Client) {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Seed: 1, Now: fixedNow, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	if fl == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
	}
	c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(fl)))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// everyFieldIssue is the demo's JIF-1, which carries a value of every
// field type, fetched the way the detail fetches it.
func everyFieldIssue(t *testing.T, fl string) *jiraclient.Issue {
	t.Helper()
	_, c := fakeClient(t, fl)
	is, err := common.GetIssue(context.Background(), c, "JIF-1")
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// TestFieldSectionEveryType: every field type the fake serves shows with
// its site name and its formatted value, in both flavours; fields drawn
// elsewhere on the page do not show twice; empty ones and zero counts not
// at all; nothing of Jira's JSON reaches the screen.
func TestFieldSectionEveryType(t *testing.T) {
	want := [][2]string{
		{"Approvers", "Dennis Ritchie, Ken Thompson"}, // users
		{"Checklist", "Write tests, Update docs"},     // a third-party type: its words
		{"Customer", "Globex"},                        // text
		{"Customer impact", "8.5"},                    // number
		{"Deployed at", "2026-11-21 12:00 +0000"},     // datetime
		{"Design doc", "https://docs.example.com/design/jif-1"},
		{"Found in", "v1.2.0"},              // versions
		{"Owning group", "platform-team"},   // group
		{"Platforms", "Linux, macOS, iOS"},  // multi-select
		{"Region", "Asia Pacific / Sydney"}, // cascading
		{"Reviewer", "Grace Hopper"},        // user
		{"Severity", "S2 - Major"},          // select
		{"Tags", "regression"},              // labels
		{"Target start", "2026-12-03"},      // date
		{"Team", "Search"},                  // team
		{"Project", "Jiffy Core"},           // named
		{"Creator", "Barbara Liskov"},       // system user
		{"Time tracking", "original 1d 7h, remaining 7h, spent 1d"},
		{"Watchers", "2 watchers"},
	}
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			is := everyFieldIssue(t, fl)
			v := plain(ready(t, is, 120, 200).View())
			for _, w := range want {
				if !strings.Contains(v, w[0]) || !rowShows(v, w[0], w[1]) {
					t.Errorf("no row %q with %q:\n%s", w[0], w[1], v)
				}
			}
			// Rich text: its own section, rendered (no Markdown syntax).
			if !strings.Contains(v, "Acceptance criteria ─") || !strings.Contains(v, "• Given a fresh profile") || strings.Contains(v, "**Given**") {
				t.Errorf("the text-area field is not drawn like the description:\n%s", v)
			}
			for _, no := range []string{"Summary  ", "Issue Type", "Linked Issues", "0 votes", "0 comments", "Rank", "0|i0", "Affects versions", "Status Category", "{", "\"value\""} {
				if strings.Contains(v, no) {
					t.Errorf("the page shows %q:\n%s", no, v)
				}
			}
			if strings.Count(v, "Fix versions") != 1 || strings.Count(v, "Assignee") != 1 {
				t.Errorf("a header field shows twice:\n%s", v)
			}
		})
	}
}

// rowShows reports whether a line of v starts with name and holds value.
func rowShows(v, name, value string) bool {
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, name+" ") && strings.Contains(l, value) {
			return true
		}
	}
	return false
}

// TestFieldGolden: the detail of the issue with every field type, at the
// small and the common terminal size, the small one also scrolled to the
// field section's end.
func TestFieldGolden(t *testing.T) {
	is := everyFieldIssue(t, fakejira.FlavorCloud)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("%dx%d", sz[0], sz[1])
		t.Run("top/"+name, func(t *testing.T) {
			golden.RequireEqual(t, plain(ready(t, is, sz[0], sz[1]).View()))
		})
		t.Run("scrolled/"+name, func(t *testing.T) {
			m := ready(t, is, sz[0], sz[1])
			m, _ = send(t, m, press("ctrl+d"))
			golden.RequireEqual(t, plain(m.View()))
		})
	}
}

// TestHideFields: the profile's hide_fields leaves fields out by name or
// id, in any case; the others stay.
func TestHideFields(t *testing.T) {
	is := everyFieldIssue(t, fakejira.FlavorDataCenter)
	c := testCommon()
	var teamID string
	for id, n := range is.Names {
		if n == "Team" {
			teamID = id
		}
	}
	c.HideFields = []string{"severity", " Acceptance Criteria ", strings.ToUpper(teamID)}
	v := plain(New(c).SetSize(120, 200).SetIssue(is).View())
	for _, gone := range []string{"Severity", "S2 - Major", "Acceptance criteria", "Team "} {
		if strings.Contains(v, gone) {
			t.Errorf("hidden field %q shows:\n%s", gone, v)
		}
	}
	if !rowShows(v, "Region", "Asia Pacific / Sydney") {
		t.Errorf("a field not hidden is gone:\n%s", v)
	}
}

// TestFieldTextIsCleaned: names and values of fields are Jira's text; no
// escape, C1 control or bidi override from them reaches the terminal.
func TestFieldTextIsCleaned(t *testing.T) {
	n := 3.0
	is := richIssue()
	is.Names = map[string]string{
		"customfield_1": "Cust\x1b]0;pwned\x07omer",
		"customfield_2": "Notes\u202e",
		"customfield_3": "Size\x9b31m",
	}
	is.Values = map[string]jiraclient.FieldValue{
		"customfield_1": {Kind: jiraclient.FieldString, Text: "Glo\x1b[31mbex\nline two\u202e"},
		"customfield_2": {Kind: jiraclient.FieldRichText, Text: "**bold** \x1b[2Jcleared\u2066"},
		"customfield_3": {Kind: jiraclient.FieldNumber, Number: &n},
	}
	for _, sz := range [][2]int{{80, 200}, {120, 200}} {
		raw := ready(t, is, sz[0], sz[1]).View()
		v := plain(raw)
		for _, l := range strings.Split(raw, "\n") {
			if safetext.Unsafe(ansi2text(l)) {
				t.Fatalf("unsafe text reached the screen: %q", l)
			}
		}
		// The sanitiser drops the escape and control characters; the words
		// around them stay, a newline in a one-line value becomes a space.
		for _, w := range []string{"Cust]0;pwnedomer", "bex line two", "Notes ─", "bold [2Jcleared", "Size"} {
			if !strings.Contains(v, w) {
				t.Errorf("missing %q:\n%s", w, v)
			}
		}
	}
}

// ansi2text drops the styling jiffy itself adds (SGR), so what remains is
// text that came from Jira.
func ansi2text(s string) string { return plain(s) }

// TestReadBackKeepsFields: the read-back after a write costs no extra
// request for the field list, and still decodes every field once the
// detail has fetched the list.
func TestReadBackKeepsFields(t *testing.T) {
	srv, c := fakeClient(t, fakejira.FlavorCloud)
	ctx := context.Background()
	is, err := common.ReadBack(ctx, c, "JIF-1")
	if err != nil {
		t.Fatal(err)
	}
	if is.Values != nil {
		t.Errorf("read-back without a cached field list decoded values")
	}
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/field") {
			t.Errorf("read-back asked for the field list")
		}
	}
	if _, err := common.GetIssue(ctx, c, "JIF-1"); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	is, err = common.ReadBack(ctx, c, "JIF-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Values) == 0 || is.Names == nil {
		t.Errorf("read-back after the detail's fetch has no values")
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("read-back made %d requests, want 1", n)
	}
}

// TestActivityKeysOpenOverlays: w, L, K and A on an issue shown open the
// watchers, log-work, links and attachments overlays on it, E asks the
// root for the full summary-and-description form; with nothing shown they
// do nothing.
func TestActivityKeysOpenOverlays(t *testing.T) {
	_, cl := fakeClient(t, fakejira.FlavorCloud)
	c := testCommon()
	c.Client = cl
	for k, want := range map[string]string{"w": "*activity.Watchers", "L": "*activity.LogWork", "K": "*activity.Links", "A": "*activity.Attachments", "E": "fields.FullEditMsg", "S": "common.CreateSubtaskMsg"} {
		m := New(c).SetSize(80, 24)
		if _, cmd := m.Update(press(k)); cmd != nil {
			t.Errorf("%s with no issue returned a command", k)
		}
		m = m.SetIssue(richIssue())
		_, cmd := m.Update(press(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		found := false
		for _, msg := range runCmd(cmd) {
			if o, ok := msg.(common.OpenOverlayMsg); ok && fmt.Sprintf("%T", o.Overlay) == want {
				found = true
			}
			if f, ok := msg.(fields.FullEditMsg); ok && want == "fields.FullEditMsg" && f.Issue.Key == richIssue().Key {
				found = true
			}
			if s, ok := msg.(common.CreateSubtaskMsg); ok && want == "common.CreateSubtaskMsg" && s.Parent.Key == richIssue().Key {
				found = true
			}
		}
		if !found {
			t.Errorf("%s did not open %s", k, want)
		}
	}
}

// runCmd runs cmd's first level (a Sequence's members one by one) and
// returns what they said; loads the overlays start are not run.
func runCmd(cmd tea.Cmd) []tea.Msg {
	msg := cmd()
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().ConvertibleTo(reflect.TypeOf([]tea.Cmd(nil))) {
		cmds := v.Convert(reflect.TypeOf([]tea.Cmd(nil))).Interface().([]tea.Cmd)
		if len(cmds) > 0 && cmds[0] != nil {
			return []tea.Msg{cmds[0]()}
		}
		return nil
	}
	return []tea.Msg{msg}
}

// BenchmarkLayoutEveryField is the page of the issue with every field
// type laid out at 120 columns (Markdown from the render cache, as after
// the first layout): what a resize or a re-fetch costs.
func BenchmarkLayoutEveryField(b *testing.B) {
	_, cl := fakeClient(b, fakejira.FlavorCloud)
	full, err := common.GetIssue(context.Background(), cl, "JIF-1")
	if err != nil {
		b.Fatal(err)
	}
	c := testCommon()
	bare := *full
	bare.Values = nil
	for name, is := range map[string]*jiraclient.Issue{"fields": full, "without": &bare} {
		b.Run(name, func(b *testing.B) {
			build(c, is, 120)
			b.ReportAllocs()
			for b.Loop() {
				build(c, is, 120)
			}
		})
	}
}
