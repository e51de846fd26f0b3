package soak

// Escape payloads in every text field: a session against fakejira.Hostile,
// whose every answer carries fakejira.EscapePayload in every text string,
// walks the list, the preview, the detail, every triage overlay and help,
// and no frame may hold an escape, C1, bidi or zero-width character that
// jiffy's own styling did not put there.

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui"
)

// ownStyling matches the sequences jiffy's views write themselves: SGR
// (colours, bold, underline) and OSC 8 hyperlinks around jiffy's own links.
var ownStyling = regexp.MustCompile(`\x1b\[[0-9;:]*m|\x1b\]8;[^\x07\x1b]*(\x07|\x1b\\)`)

// foreign returns what in a frame is not jiffy's: any escape, control
// (but newline), C1, bidi or zero-width character left once jiffy's own
// styling is removed.
func foreign(content string) string {
	rest := ownStyling.ReplaceAllString(content, "")
	if !safetext.Unsafe(rest) && !strings.ContainsRune(rest, '\t') {
		return ""
	}
	for i, r := range rest {
		if safetext.Dropped(r) || r == '\u200d' || r == '\r' || r == '\t' {
			lo := max(0, i-40)
			return rest[lo:min(len(rest), i+40)]
		}
	}
	return rest
}

func TestSoakEscapePayloads(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) { escapeSession(t, flavor) })
	}
}

func escapeSession(t *testing.T, flavor string) {
	srv := fakejira.New(fakejira.Options{Flavor: flavor, Seed: 11, Issues: 60})
	h := fakejira.NewHostile(srv)
	h.Set(fakejira.HostileFaults{Payload: fakejira.EscapePayload})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	srv.SetBaseURL(hs.URL)
	s := site{srv: srv, url: hs.URL, flavor: jiraclient.FlavorCloud}
	if flavor == fakejira.FlavorDataCenter {
		s.flavor = jiraclient.FlavorDataCenter
	}
	c := s.client(t)
	me, err := c.Myself(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	o := s.options(c, nil)
	o.Me = me // as the site cache or /myself gives it: with the payload's remains

	var mu sync.Mutex
	var bad []string
	frames := 0
	pr := run(t, tui.New(o), nil, nil)
	pr.f.mu.Lock()
	pr.f.raw = func(content string) {
		mu.Lock()
		defer mu.Unlock()
		frames++
		if f := foreign(content); f != "" && len(bad) < 5 {
			bad = append(bad, f)
		}
	}
	pr.f.mu.Unlock()
	t.Cleanup(func() { // also when a wait below gave up
		mu.Lock()
		defer mu.Unlock()
		for _, b := range bad {
			t.Errorf("a frame holds a foreign escape or control: %q", b)
		}
	})

	// The payload's visible remains ("owned", "evil") show the poisoned
	// text really is on screen at each step.
	shows := func(parts ...string) func(string) bool {
		return func(sc string) bool {
			for _, p := range parts {
				if !strings.Contains(sc, p) {
					return false
				}
			}
			return true
		}
	}
	const wait = 20 * time.Second
	pr.waitFor("the poisoned list", wait, shows("owned", s.project()+"-"))
	type step struct {
		key       string
		want, not []string
	}
	steps := []step{
		{"p", []string{"owned"}, nil},                                         // preview
		{"p", []string{"owned"}, nil},                                         // preview off
		{"enter", []string{"Reporter", "owned"}, nil},                         // detail
		{"a", []string{"Assign to me", "owned"}, nil},                         // assignable users
		{"esc", []string{"Reporter"}, []string{"Assign to me"}},               // closed
		{"c", []string{"Comment on " + s.project(), "owned"}, nil},            // comment
		{"esc", []string{"Reporter"}, []string{"Comment on"}},                 // closed
		{"t", []string{"type to filter transitions", "owned"}, nil},           // transitions
		{"esc", []string{"Reporter"}, []string{"type to filter transitions"}}, // closed
		{"l", []string{"Labels to add"}, nil},                                 // labels
		{"esc", []string{"Reporter"}, []string{"Labels to add"}},              // closed
		{"e", []string{"Edit a field of " + s.project(), "owned"}, nil},       // field editor (editmeta)
		{"esc", []string{"Reporter"}, []string{"Edit a field of"}},            // closed
		{"esc", []string{"Upd", "owned"}, nil},                                // back to the list
		{"C", []string{"New issue in", "owned"}, nil},                         // create: issue types
		{"esc", []string{"Upd", "owned"}, []string{"New issue in"}},           // closed
		{"?", []string{"Issue list — keys"}, nil},                             // help
		{"esc", []string{"Upd", "owned"}, []string{"Issue list — keys"}},      // closed
		{"r", []string{"Upd", "owned"}, nil},                                  // refreshed list
	}
	for _, st := range steps {
		pr.expect(st.key+" showing "+strings.Join(st.want, ", "), wait, func() { pr.key(st.key) }, func(sc string) bool {
			for _, n := range st.not {
				if strings.Contains(sc, n) {
					return false
				}
			}
			return shows(st.want...)(sc)
		})
	}
	pr.stop()
	mu.Lock()
	defer mu.Unlock()
	if frames < len(steps) {
		t.Errorf("only %d frames drawn", frames)
	}
}
