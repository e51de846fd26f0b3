package detail

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/markup"
)

// Golden files hold the views with styles stripped, so they read as the
// screen does and do not churn when a colour changes; TestContent checks
// the colours that carry meaning. Regenerate with: go test ./tui/detail -update

var goldenSizes = [][2]int{{80, 24}, {200, 60}}

func TestGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		w, h := sz[0], sz[1]
		name := fmt.Sprintf("%dx%d", w, h)
		t.Run("rich/"+name, func(t *testing.T) {
			golden.RequireEqual(t, plain(ready(t, richIssue(), w, h).View()))
		})
		t.Run("rich_scrolled/"+name, func(t *testing.T) {
			m := ready(t, richIssue(), w, h)
			m, _ = send(t, m, press("ctrl+d"))
			m, _ = send(t, m, press("tab"))
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("loading/"+name, func(t *testing.T) {
			golden.RequireEqual(t, plain(New(testCommon()).SetSize(w, h).SetLoading("KP-19").View()))
		})
		t.Run("error/"+name, func(t *testing.T) {
			m := New(testCommon()).SetSize(w, h).SetError("KP-404", hintErr{})
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("preview/"+name, func(t *testing.T) {
			golden.RequireEqual(t, plain(Preview(testCommon(), richIssue(), w, h, 0)))
		})
		t.Run("kp19/"+name, func(t *testing.T) {
			golden.RequireEqual(t, plain(ready(t, kp19(t, "get-issue.json"), w, h).View()))
		})
	}
}

// kp19 reads the real issue KP-19 from a captured Jira response and turns
// its description into Markdown with the client's own converter, as the
// client does: ADF from REST v3, wiki markup from REST v2.
func kp19(t *testing.T, file string) *jiraclient.Issue {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		Key    string
		Fields struct {
			Summary     string
			Description json.RawMessage
			Labels      []string
			Created     string
			Updated     string
			IssueType   struct{ Name string }
			Status      struct {
				Name           string
				StatusCategory struct{ Key string }
			}
			Priority struct{ Name string }
			Reporter struct{ DisplayName string }
		}
	}
	if err := json.Unmarshal(raw, &wire); err != nil {
		t.Fatal(err)
	}
	var desc string
	if strings.HasPrefix(string(wire.Fields.Description), `"`) {
		var wiki string
		if err := json.Unmarshal(wire.Fields.Description, &wiki); err != nil {
			t.Fatal(err)
		}
		desc = markup.WikiToMarkdown(wiki)
	} else {
		doc, err := markup.ParseADF(wire.Fields.Description)
		if err != nil {
			t.Fatal(err)
		}
		desc = markup.ADFToMarkdown(doc)
	}
	when := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02T15:04:05.000-0700", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	f := wire.Fields
	return &jiraclient.Issue{
		Key:         wire.Key,
		Summary:     f.Summary,
		Type:        jiraclient.IssueType{Name: f.IssueType.Name},
		Status:      jiraclient.Status{Name: f.Status.Name, Category: f.Status.StatusCategory.Key},
		Priority:    &jiraclient.Priority{Name: f.Priority.Name},
		Reporter:    &jiraclient.User{DisplayName: f.Reporter.DisplayName},
		Labels:      f.Labels,
		Created:     when(f.Created),
		Updated:     when(f.Updated),
		Description: desc,
	}
}

// TestRealDescriptions renders KP-19 from both flavours: the same text
// must come out, with no markup left over.
func TestRealDescriptions(t *testing.T) {
	for _, file := range []string{"get-issue.json", "get-issue-v2.json"} {
		t.Run(file, func(t *testing.T) {
			is := kp19(t, file)
			v := plain(ready(t, is, 80, 60).View())
			for _, want := range []string{
				"KP-19  Test", "Status        Backlog", "Reporter      Carlos Treminio",
				"Created       5 years ago (2021-05-08 06:04)", "Labels        test",
				"es simplemente el texto de relleno de las imprentas", "Aldus PageMaker", "sadsadsad",
			} {
				if !strings.Contains(v, want) {
					t.Errorf("KP-19 lacks %q:\n%s", want, v)
				}
			}
			for _, markupLeft := range []string{"**", "{panel", "\\", "*Lorem"} {
				if strings.Contains(v, markupLeft) {
					t.Errorf("KP-19 shows raw markup %q:\n%s", markupLeft, v)
				}
			}
		})
	}
}
