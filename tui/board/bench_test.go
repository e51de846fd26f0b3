package board

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
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
