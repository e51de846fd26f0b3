package compose

import (
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// openEdit opens the field editor on key and runs its load.
func openEdit(t *testing.T, s *site, key string, dp Deps) (*driver, *Edit) {
	t.Helper()
	m := NewEdit(s.c, dp, s.issue(key)).(*Edit)
	d := drive(t, m)
	d.run(m.Init())
	if m.st != editForm {
		t.Fatalf("the form did not load: %s", d.view())
	}
	return d, m
}

func (d *driver) clearLine() { d.press("ctrl+u") }

func TestEditLands(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(6)
			orig := s.snap(key)
			d, m := openEdit(t, s, key, s.deps())
			d.wantView("Summary", "Description", "Priority", "Labels")

			d.clearLine()
			d.typeText("Rewritten summary")
			d.press("tab")
			d.typeText("New **intro** line\n\n")
			d.press("tab")
			d.press("enter") // priority list
			d.typeText("low")
			d.press("enter")
			d.press("tab")
			var wantLabels []string
			if n := len(m.labels); n > 0 {
				wantLabels = append(wantLabels, m.labels[:n-1]...)
				d.press("backspace") // removes the last label
			}
			d.typeText("triage-x")
			d.press("enter")
			wantLabels = append(wantLabels, "triage-x")
			d.press("ctrl+s")

			if !d.closed() {
				t.Fatalf("not saved: %s", d.view())
			}
			sn := s.snap(key)
			if sn.Summary != "Rewritten summary" {
				t.Errorf("summary %q", sn.Summary)
			}
			if !strings.HasPrefix(sn.DescriptionText, "New intro line") {
				t.Errorf("description %q", sn.DescriptionText)
			}
			if fl == fakejira.FlavorCloud && !strings.Contains(sn.Description, `"type":"strong"`) {
				t.Errorf("ADF description lacks the bold mark: %s", sn.Description)
			}
			if fl == fakejira.FlavorDataCenter && !strings.Contains(sn.Description, "*intro*") {
				t.Errorf("wiki description lacks the bold: %s", sn.Description)
			}
			if sn.Priority != "Low" {
				t.Errorf("priority %q", sn.Priority)
			}
			slices.Sort(wantLabels)
			if !slices.Equal(sn.Labels, wantLabels) {
				t.Errorf("labels %v, want %v (were %v)", sn.Labels, wantLabels, orig.Labels)
			}
			p := outOf[common.IssuePatchMsg](d)
			c := outOf[common.IssueConfirmedMsg](d)
			if len(p) != 1 || len(c) != 1 || c[0].Issue == nil || c[0].Issue.Summary != "Rewritten summary" {
				t.Fatalf("root messages: %#v", d.out)
			}
			if got := p[0].Apply(jiraclient.Issue{Summary: "x"}); got.Summary != "Rewritten summary" || got.Priority.Name != "Low" {
				t.Errorf("patch: %+v", got)
			}
		})
	}
}

func TestEditSendsOnlyChanges(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(7)
	d, _ := openEdit(t, s, key, s.deps())
	d.press("ctrl+s")
	d.wantView("Nothing changed")
	d.press("tab")
	d.press("tab")
	d.press("enter")
	d.typeText("highest")
	d.press("enter")
	s.srv.ResetRequests()
	d.press("ctrl+s")
	var put string
	for _, r := range s.srv.Requests() {
		if r.Method == "PUT" {
			put = r.Body
		}
		if r.Method == "GET" && strings.HasSuffix(r.Path, key) && put == "" {
			t.Error("a priority-only change checked for a text conflict")
		}
	}
	if put != `{"fields":{"priority":{"id":"1"}}}` {
		t.Errorf("PUT body %s", put)
	}
}

func TestOffered(t *testing.T) {
	meta := map[string]jiraclient.FieldMeta{
		"summary":  {ID: "summary", Operations: []string{"set"}},
		"priority": {ID: "priority", Operations: []string{"set"}}, // no allowed values: nothing to pick
		"labels":   {ID: "labels", Operations: []string{"add", "remove"}},
	}
	if got := offered(meta); !slices.Equal(got, []string{"summary", "labels"}) {
		t.Errorf("offered = %v", got)
	}
	if got := offered(nil); len(got) != 0 {
		t.Errorf("offered(nil) = %v", got)
	}
}

// TestEditConflict: someone else changes the summary while the editor is
// open; saving shows what changed; ctrl+s overwrites.
func TestEditConflict(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(8)
			old := s.snap(key).Summary
			d, m := openEdit(t, s, key, s.deps())
			other := "Changed by someone else"
			if err := s.client(fakejira.Token).EditIssue(t.Context(), key, jiraclient.IssueEdit{Summary: &other}); err != nil {
				t.Fatal(err)
			}
			d.clearLine()
			d.typeText("Mine")
			d.press("ctrl+s")
			if m.st != editConflict {
				t.Fatalf("no conflict shown: %s", d.view())
			}
			d.wantView("Someone changed", "- "+old, "+ "+other, "ctrl+s saves your version")
			if s.snap(key).Summary != other {
				t.Fatal("saved before the user chose")
			}
			d.press("ctrl+s")
			if !d.closed() || s.snap(key).Summary != "Mine" {
				t.Fatalf("overwrite failed: %s", d.view())
			}
		})
	}
}

func TestEditConflictReload(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(9)
	d, m := openEdit(t, s, key, s.deps())
	other := "Theirs"
	if err := s.client(fakejira.Token).EditIssue(t.Context(), key, jiraclient.IssueEdit{Summary: &other}); err != nil {
		t.Fatal(err)
	}
	d.clearLine()
	d.typeText("Mine")
	d.press("ctrl+s")
	d.press("ctrl+r")
	if m.st != editForm || m.summary.Value() != "Theirs" {
		t.Fatalf("reload: %s", d.view())
	}
	d.typeText(" too")
	d.press("ctrl+s")
	if s.snap(key).Summary != "Theirs too" {
		t.Fatalf("save after reload: %q", s.snap(key).Summary)
	}
}

// TestEditFieldError: Jira refuses a priority (editmeta went stale); its
// reason shows beside the priority and the form stays.
func TestEditFieldError(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(10)
			d, m := openEdit(t, s, key, s.deps())
			pm := m.meta[fieldPriority]
			pm.AllowedValues = append(pm.AllowedValues, jiraclient.AllowedValue{ID: "999", Name: "Retired"})
			m.meta[fieldPriority] = pm
			d.press("tab")
			d.press("tab")
			d.press("enter")
			d.typeText("retired")
			d.press("enter")
			d.press("ctrl+s")
			if d.closed() || m.fieldErr[fieldPriority] == "" {
				t.Fatalf("no field error: %s", d.view())
			}
			v := d.view()
			i, j := strings.Index(v, "Priority"), strings.Index(v, "✗ The priority selected is invalid.")
			if i < 0 || j < i || strings.Index(v, "Labels") < j {
				t.Errorf("the error is not beside the priority:\n%s", v)
			}
			d.wantView("Jira rejected the values marked above")
			if len(outOf[common.IssueRollbackMsg](d)) != 1 {
				t.Error("no rollback")
			}
		})
	}
}

func TestEditFailuresKeepDraft(t *testing.T) {
	for _, st := range []int{403, 404, 409, 413} {
		t.Run(itoa(uint64(st)), func(t *testing.T) {
			s := newSite(t, fakejira.FlavorCloud)
			key := s.key(11)
			d, _ := openEdit(t, s, key, s.deps())
			d.press("tab")
			d.typeText("Keep this ")
			// The conflict check reads first; the PUT gets the fault.
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{}, {Status: st}}})
			d.press("ctrl+s")
			if d.closed() {
				t.Fatal("closed on failure")
			}
			dr, ok := s.loadDrafts().Get(descriptionKey(key))
			if !ok || !strings.HasPrefix(dr.Text, "Keep this ") || dr.Error == "" {
				t.Fatalf("draft %+v", dr)
			}
			d.wantView("HTTP " + itoa(uint64(st)))
		})
	}
}

func TestEditDraftRestoredAndTokenExpiry(t *testing.T) {
	s := newSite(t, fakejira.FlavorDataCenter)
	key := s.key(12)
	d, _ := openEdit(t, s, key, s.deps())
	d.press("tab")
	d.typeText("Draft line\n")
	d.press("esc")
	if !d.closed() {
		t.Fatal("esc did not close")
	}
	d, m := openEdit(t, s, key, Deps{Drafts: s.loadDrafts()})
	d.wantView("Draft restored")
	if !strings.HasPrefix(m.desc.Value(), "Draft line\n") {
		t.Fatalf("description not restored: %q", m.desc.Value())
	}
	s.srv.ExpireToken()
	d.press("ctrl+s")
	// Held by the store for the sign-in, then sent with the new client.
	if len(outOf[store.LoginNeededMsg](d)) != 1 {
		t.Fatalf("no login asked: %#v", d.out)
	}
	s.srv.SetToken("fresh")
	s.c.Client = s.client("fresh")
	routeStore.SetClient(s.c.Client)
	d.run(routeStore.Replay())
	if !d.closed() || !strings.HasPrefix(s.snap(key).DescriptionText, "Draft line") {
		t.Fatalf("resend: %s", d.view())
	}
}

func TestEditLoadError(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	m := NewEdit(s.c, s.deps(), jiraclient.Issue{Key: "NOPE-1"}).(*Edit)
	d := drive(t, m)
	d.run(m.Init())
	d.wantView("Cannot open the editor", "not found", "ctrl+r try again")
	d.press("esc")
	if !d.closed() {
		t.Fatal("esc did not close")
	}
}

func TestLabelCompletion(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	all, err := s.c.Client.Labels(t.Context(), "")
	if err != nil || len(all) == 0 {
		t.Fatalf("labels: %v %v", all, err)
	}
	d, m := openEdit(t, s, s.key(13), s.deps())
	var want string
	for _, l := range all {
		if !slices.Contains(m.labels, l) {
			want = l
			break
		}
	}
	d.press("shift+tab") // labels are last
	d.typeText(want[:2])
	d.wantView(want)
	idx := slices.Index(m.sugg, want)
	if idx < 0 {
		t.Fatalf("%q not suggested for %q: %v", want, want[:2], m.sugg)
	}
	for range idx + 1 {
		d.press("down")
	}
	d.press("enter")
	if !slices.Contains(m.labels, want) {
		t.Fatalf("label %q not added: %v (suggested %v)", want, m.labels, m.sugg)
	}
}
