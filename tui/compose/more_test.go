package compose

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestEditDescriptionMention: the description completes mentions too, and
// Jira stores a real mention.
func TestEditDescriptionMention(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(14)
			d, _ := openEdit(t, s, key, s.deps())
			d.press("tab")
			d.typeText("Ask @ad")
			d.wantView("Ada Lovelace")
			d.press("enter")
			d.typeText("first.\n\n")
			d.press("ctrl+s")
			if !d.closed() {
				t.Fatalf("not saved: %s", d.view())
			}
			desc := s.snap(key).Description
			me := s.srv.Me()
			if fl == fakejira.FlavorCloud && (!strings.Contains(desc, `"type":"mention"`) || !strings.Contains(desc, me.AccountID)) {
				t.Errorf("no ADF mention: %s", desc)
			}
			if fl == fakejira.FlavorDataCenter && !strings.Contains(desc, "[~"+me.Name+"]") {
				t.Errorf("no wiki mention: %s", desc)
			}
		})
	}
}

// TestSaveDraftOnQuit: what the root calls before quitting writes each
// editor's text to disk.
func TestSaveDraftOnQuit(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(15)
	de, _ := openEdit(t, s, key, s.deps())
	de.press("ctrl+u")
	de.typeText("Quit mid-edit")
	if err := SaveDraft(de.ov); err != nil {
		t.Fatal(err)
	}
	proj := projectOf(key)
	dc, _ := openCreate(t, s, proj, s.deps())
	dc.press("enter")
	dc.typeText("Quit mid-create")
	if err := SaveDraft(dc.ov); err != nil {
		t.Fatal(err)
	}
	dr := s.loadDrafts()
	if e, ok := dr.Get(descriptionKey(key)); !ok || e.Fields["summary"] != "Quit mid-edit" {
		t.Errorf("edit draft %+v", e)
	}
	if c, ok := dr.Get(createKey(proj)); !ok || c.Fields["summary"] != "Quit mid-create" {
		t.Errorf("create draft %+v", c)
	}
	if err := SaveDraft(nil); err != nil {
		t.Errorf("SaveDraft(nil) = %v", err)
	}
}

// TestCreateTokenExpired: the create is held by the store for a sign-in
// the user cancels; its answer then tells the root to sign in again
// (Failed), the form stays, and ctrl+s with the new client creates it.
func TestCreateTokenExpired(t *testing.T) {
	s := newSite(t, fakejira.FlavorDataCenter)
	proj := projectOf(s.key(0))
	d, m := openCreate(t, s, proj, s.deps())
	d.press("enter")
	d.typeText("Created after re-login")
	s.srv.ExpireToken()
	d.press("ctrl+s")
	if len(outOf[store.LoginNeededMsg](d)) != 1 {
		t.Fatalf("no login asked: %#v", d.out)
	}
	var got tea.Msg
	for _, msg := range routeStore.Abandon() {
		if c, ok := msg.(createdMsg); ok {
			got = c
		}
	}
	f, ok := got.(interface{ Failed() error })
	if !ok || !jiraclient.IsAuth(f.Failed()) {
		t.Fatalf("the root cannot see the expired login: %#v", got)
	}
	d.send(got)
	d.wantView("Sign in again")
	s.srv.SetToken("fresh")
	s.c.Client = s.client("fresh")
	routeStore.SetClient(s.c.Client)
	d.press("ctrl+s")
	if c := outOf[common.IssueCreatedMsg](d); len(c) != 1 || m.st != createSaving && !d.closed() {
		t.Fatalf("not created: %s", d.view())
	}
}

// flatten runs a Cmd's batch structure without running the leaves.
func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	var out []tea.Cmd
	// A batch is only visible by running it; leaves here are cheap except
	// the one under test, which the caller runs itself.
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	if seq, ok := sequence(msg); ok {
		for _, c := range seq {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

func TestLineDiff(t *testing.T) {
	got := lineDiff(strings.Split("a\nb\nc", "\n"), strings.Split("a\nB\nc\nd", "\n"))
	want := []string{"- b", "+ B", "+ d"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lineDiff = %q, want %q", got, want)
	}
	if d := lineDiff([]string{"same"}, []string{"same"}); len(d) != 0 {
		t.Errorf("equal texts differ: %q", d)
	}
}

// FuzzLineDiff: the "-" lines are a's lines not kept and the "+" lines b's,
// so removing the "+" lines from a walk of b leaves what a kept.
func FuzzLineDiff(f *testing.F) {
	f.Add("a\nb\nc", "a\nc\nd")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
		if len(la)*len(lb) > 10000 {
			return
		}
		minus, plus := 0, 0
		for _, l := range lineDiff(la, lb) {
			switch {
			case strings.HasPrefix(l, "- "):
				minus++
			case strings.HasPrefix(l, "+ "):
				plus++
			default:
				t.Fatalf("bad line %q", l)
			}
		}
		if len(la)-minus != len(lb)-plus {
			t.Fatalf("kept %d of a but %d of b", len(la)-minus, len(lb)-plus)
		}
	})
}

// FuzzMentionQuery: never panics, and a query found is the text right
// before the cursor, after an @.
func FuzzMentionQuery(f *testing.F) {
	f.Add("hello @ad")
	f.Add("x@y")
	f.Add("@\n@é")
	c := &common.Common{Styles: common.NewStyles(true)}
	f.Fuzz(func(t *testing.T, text string) {
		ta := newTextarea(c, "")
		ta.SetValue(text)
		q, ok := mentionQuery(&ta)
		if !ok {
			return
		}
		lines := strings.Split(ta.Value(), "\n")
		line := []rune(lines[ta.Line()])
		before := string(line[:min(ta.Column(), len(line))])
		if !strings.HasSuffix(before, "@"+q) {
			t.Fatalf("query %q is not before the cursor in %q", q, before)
		}
	})
}

func BenchmarkCommentKeystroke(b *testing.B) {
	c := &common.Common{Width: 120, Height: 40, Styles: common.NewStyles(true)}
	m := NewComment(c, Deps{}, jiraclient.Issue{Key: "KP-1", Summary: "bench"}).(*Comment)
	m.drafts.delay = 0
	long := strings.Repeat("Some words in a paragraph of a long comment.\n", 200)
	m.ta.SetValue(long)
	key := tea.KeyPressMsg{Code: 'a', Text: "a"}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(key)
		_ = m.View()
	}
}

// The mention picker opens under the line being typed, and what it puts in
// the text is "@Ada Lovelace", never [@Ada Lovelace](mention:…) markup;
// the mention still reaches Jira, survives a draft, and the description
// editor shows the mentions it loads the same way.
func TestMentionShownAsName(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(0)
			d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			m := d.ov.(*Comment)
			d.typeText("Thanks @ad")
			d.wantView("Ada Lovelace")
			lines := strings.Split(d.view(), "\n")
			at := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "Thanks @ad") })
			if at < 0 || at+1 >= len(lines) || !strings.Contains(lines[at+1], "Ada Lovelace") {
				t.Fatalf("the list does not open under the line typed:\n%s", d.view())
			}
			d.press("enter")
			if v := m.ta.Value(); v != "Thanks @Ada Lovelace " {
				t.Fatalf("text after choosing = %q", v)
			}
			d.typeText("for this.")
			if strings.Contains(d.view(), "mention:") {
				t.Fatalf("markup in the editor:\n%s", d.view())
			}
			// The draft keeps whom it means: reopened, it shows the name
			// and sends the mention.
			d.press("esc")
			d = drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			if v := d.ov.(*Comment).ta.Value(); v != "Thanks @Ada Lovelace for this." {
				t.Fatalf("restored draft = %q", v)
			}
			d.press("ctrl+s")
			sn := s.snap(key)
			body := sn.CommentBodies[len(sn.CommentBodies)-1]
			me := s.srv.Me()
			if fl == fakejira.FlavorCloud && (!strings.Contains(body, `"type":"mention"`) || !strings.Contains(body, me.AccountID)) {
				t.Errorf("no ADF mention: %s", body)
			}
			if fl == fakejira.FlavorDataCenter && !strings.Contains(body, "[~"+me.Name+"]") {
				t.Errorf("no wiki mention: %q", body)
			}

			// A description that mentions someone shows @Name, and an
			// edit elsewhere keeps the mention.
			var mk string
			for i := range 12 {
				if strings.Contains(s.issue(s.key(i)).Description, "(mention:") {
					mk = s.key(i)
					break
				}
			}
			de, em := openEdit(t, s, mk, s.deps())
			if v := em.desc.Value(); strings.Contains(v, "mention:") || !strings.Contains(v, "First noticed by @") {
				t.Fatalf("description in the editor = %q", v)
			}
			de.press("tab")
			de.typeText("Edited. ")
			de.press("ctrl+s")
			desc := s.snap(mk).Description
			if fl == fakejira.FlavorCloud && !strings.Contains(desc, `"type":"mention"`) || fl == fakejira.FlavorDataCenter && !strings.Contains(desc, "First noticed by [~") {
				t.Errorf("the edit lost the mention: %s", desc)
			}
		})
	}
}

// One typed character (its Update and the frame after it) in a comment
// of 0.9 MB, pasted: what the text's size costs per key.
func BenchmarkCommentKeystroke900KB(b *testing.B) {
	c := &common.Common{Width: 120, Height: 40, Styles: common.NewStyles(true)}
	m := NewComment(c, Deps{}, jiraclient.Issue{Key: "KP-1", Summary: "bench"}).(*Comment)
	m.drafts.delay = 0
	m.Update(tea.PasteMsg{Content: strings.Repeat("Some words in a paragraph of a long comment.\n", 900_000/45)})
	key := tea.KeyPressMsg{Code: 'a', Text: "a"}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(key)
		_ = m.View()
	}
}

// TestPasteOverJiraLimitRefused: a 0.9 MB paste into a comment, or into
// a description, is refused whole with a note; the text is as it was.
func TestPasteOverJiraLimitRefused(t *testing.T) {
	c := &common.Common{Width: 120, Height: 40, Styles: common.NewStyles(true)}
	m := NewComment(c, Deps{}, jiraclient.Issue{Key: "KP-1", Summary: "s"}).(*Comment)
	m.drafts.delay = 0
	m.Update(tea.PasteMsg{Content: "kept"})
	m.Update(tea.PasteMsg{Content: strings.Repeat("x", 900_000)})
	if m.ta.Value() != "kept" {
		t.Fatalf("the comment holds %d characters", len(m.ta.Value()))
	}
	if v := m.View(); !strings.Contains(v, "Not pasted") {
		t.Fatalf("no note:\n%s", v)
	}
	// Up to the limit is fine; one more typed character is not.
	m.Update(tea.PasteMsg{Content: strings.Repeat("y", MaxText-4)})
	m.Update(tea.KeyPressMsg{Code: 'z', Text: "z"})
	if n := m.ta.Length(); n != MaxText {
		t.Fatalf("length %d, want %d", n, MaxText)
	}
	if !strings.Contains(m.notice, "the most Jira takes") {
		t.Fatalf("notice %q", m.notice)
	}
}

// One typed character in a comment at Jira's limit (32,767 characters):
// the most a key can cost, since nothing longer is taken.
func BenchmarkCommentKeystrokeAtLimit(b *testing.B) {
	c := &common.Common{Width: 120, Height: 40, Styles: common.NewStyles(true)}
	m := NewComment(c, Deps{}, jiraclient.Issue{Key: "KP-1", Summary: "bench"}).(*Comment)
	m.drafts.delay = 0
	line := "Some words in a paragraph of a long comment.\n"
	m.Update(tea.PasteMsg{Content: strings.Repeat(line, (MaxText-200)/len(line))})
	key := tea.KeyPressMsg{Code: 'a', Text: "a"}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(key)
		_ = m.View()
	}
}
