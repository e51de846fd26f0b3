package board

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// synthetic is a board of n issues over 7 columns (one status each),
// held by a store with no client, laid out once.
func synthetic(b *testing.B, n int, lanes Lanes) Model {
	b.Helper()
	c := &common.Common{Styles: common.NewStyles(true), Issues: store.New(store.Options{}), Now: time.Now,
		Me: &jiraclient.User{AccountID: "u1"}}
	cfg := &jiraclient.BoardConfig{ID: 1, Name: "Bench", Type: jiraclient.BoardKanban}
	for i := range 7 {
		cfg.Columns = append(cfg.Columns, jiraclient.BoardColumn{Name: "Column " + strconv.Itoa(i), StatusIDs: []string{strconv.Itoa(100 + i)}, Max: n / 10})
	}
	rows := make([]jiraclient.Issue, n)
	m := New(c, nil)
	m.board = jiraclient.Board{ID: 1, Name: "Bench", Type: jiraclient.BoardKanban}
	m.cfg = cfg
	for i := range rows {
		est := float64(i % 8)
		rows[i] = jiraclient.Issue{Key: fmt.Sprintf("BEN-%d", i+1), Summary: fmt.Sprintf("Issue number %d with a summary long enough to be cut in a card", i),
			Status:   jiraclient.Status{ID: strconv.Itoa(100 + i%7), Name: "S"},
			Priority: &jiraclient.Priority{Name: "High"},
			Assignee: &jiraclient.User{AccountID: "u" + strconv.Itoa(i%9), DisplayName: "Person " + strconv.Itoa(i%9)},
			Updated:  time.Unix(int64(i), 0)}
		m.keys = append(m.keys, rows[i].Key)
		m.has[rows[i].Key] = true
		m.extras[rows[i].Key] = extra{estimate: &est, epic: &jiraclient.IssueRef{Key: "BEN-E" + strconv.Itoa(i%5)}}
	}
	c.Issues.Rows(rows)
	m.lanes = lanes
	m.SetSize(200, 59)
	m.regroup()
	m.moveCol(3)
	m.setRow(n / 20)
	return m
}

// BenchmarkFrame is one View of a board (the 2 ms budget): flat in the
// number of issues, since only the rows on screen are drawn.
func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{50, 500, 5000} {
		for _, l := range []Lanes{LanesNone, LanesAssignee} {
			b.Run(fmt.Sprintf("issues=%d/lanes=%s", n, l), func(b *testing.B) {
				m := synthetic(b, n, l)
				for b.Loop() {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkRegroup is the layout after a change (a card moved, a filter
// typed): what a keypress that changes the board costs before its frame.
func BenchmarkRegroup(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprintf("issues=%d", n), func(b *testing.B) {
			m := synthetic(b, n, LanesAssignee)
			for b.Loop() {
				m.regroup()
			}
		})
	}
}

// BenchmarkMoveFrame is a card's status changing (the store's IssueMsg
// after a move's patch) and the next frame: the regroup and that card
// drawn again, the rest from the card cache.
func BenchmarkMoveFrame(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprintf("issues=%d", n), func(b *testing.B) {
			m := synthetic(b, n, LanesNone)
			_ = m.View()
			key := m.cur
			for b.Loop() {
				m, _ = m.Update(store.IssueMsg{Key: key})
				_ = m.View()
			}
		})
	}
}

// execPar runs cmd as the Bubble Tea loop does: a batch's commands at
// once, each answer when it comes (in order of arrival).
func execPar(cmd tea.Cmd, out chan<- tea.Msg, wg *sync.WaitGroup) {
	defer wg.Done()
	if cmd == nil || timer(cmd) {
		return
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			wg.Add(1)
			go execPar(c, out, wg)
		}
		return
	}
	if msg != nil {
		out <- msg
	}
}

// BenchmarkOpenBoard opens the demo's scrum board against fakejira with
// 50 ms added to every answer, until the first cards are drawn: the first
// open (the active sprint looked up, then its issues; the estimate field
// learnt from the configuration) and an open with the board remembered
// (configuration, sprint list and issues at once). Reports the requests.
func BenchmarkOpenBoard(b *testing.B) {
	for _, remembered := range []bool{false, true} {
		b.Run(fmt.Sprintf("remembered=%v", remembered), func(b *testing.B) {
			s := benchSite(b)
			s.C.Issues = store.New(store.Options{Client: s.C.Client, Now: s.C.Now})
			var brd jiraclient.Board
			for _, x := range s.Srv.Boards() {
				if x.Type == "scrum" {
					brd = jiraclient.Board{ID: x.ID, Name: x.Name, Type: x.Type}
					break
				}
			}
			mm := &mem{}
			if remembered {
				r := &rig{t: b, site: s, m: New(s.C, mm)}
				r.do(r.m.Open(brd))
			}
			s.Srv.SetFaults(fakejira.Faults{Latency: 50 * time.Millisecond})
			s.Srv.ResetRequests()
			n := 0
			for b.Loop() {
				m := New(s.C, &mem{id: mm.id, name: mm.name, estimate: mm.estimate, sprint: mm.sprint})
				m.SetSize(120, 40)
				msgs := make(chan tea.Msg, 64)
				var wg sync.WaitGroup
				wg.Add(1)
				go execPar(m.Open(brd), msgs, &wg)
				for m.grid.shown == 0 {
					msg := <-msgs
					if out, cmd, ok := s.C.Issues.Update(msg); ok {
						for _, o := range out {
							var c tea.Cmd
							m, c = m.Update(o)
							wg.Add(1)
							go execPar(c, msgs, &wg)
						}
						wg.Add(1)
						go execPar(cmd, msgs, &wg)
						continue
					}
					var c tea.Cmd
					m, c = m.Update(msg)
					wg.Add(1)
					go execPar(c, msgs, &wg)
				}
				_ = m.View()
				b.StopTimer()
				s.C.Issues.Cancel(owner)
				go func() { wg.Wait(); close(msgs) }()
				for range msgs {
				}
				n++
				b.StartTimer()
			}
			b.ReportMetric(float64(len(s.Srv.Requests()))/float64(n), "requests/open")
		})
	}
}

// benchSite is overlaytest.StartSite for a benchmark: the demo, Cloud.
func benchSite(b *testing.B) *overlaytest.Site {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 1, Now: overlaytest.FixedNow, Demo: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	cl, err := jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithLimits(jiraclient.Limits{ReadRPS: 1e9, WriteRPS: 1e9, MaxInFlight: 100, IssueWritesPer2s: 1 << 20, IssueWritesPer30s: 1 << 20}))
	if err != nil {
		b.Fatal(err)
	}
	return &overlaytest.Site{Srv: srv, C: &common.Common{Styles: common.NewStyles(true), Client: cl, Now: func() time.Time { return overlaytest.FixedNow }}}
}
