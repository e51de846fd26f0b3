package jiraclient

import (
	"strconv"
	"time"
)

// Board types as the Agile API names them. Simple boards are Cloud's
// team-managed boards; Data Center has scrum and kanban only.
const (
	BoardScrum  = "scrum"
	BoardKanban = "kanban"
	BoardSimple = "simple"
)

// Sprint states as the Agile API names them.
const (
	SprintActive = "active"
	SprintFuture = "future"
	SprintClosed = "closed"
)

// WIP constraint types of a board's column configuration.
const (
	ConstraintNone           = "none"
	ConstraintIssueCount     = "issueCount"
	ConstraintIssueCountSubs = "issueCountExclSubs" // sub-tasks do not count
)

// Estimation types of a scrum board.
const (
	EstimateNone       = "none"
	EstimateIssueCount = "issueCount"
	EstimateField      = "field"
)

// Board is one agile board as the board list shows it.
type Board struct {
	ID          int
	Name        string
	Type        string // BoardScrum, BoardKanban or BoardSimple
	ProjectKey  string // the board's location, when it is a project
	ProjectName string
}

// HasSprints reports whether the board plans in sprints (scrum boards; a
// simple board may too, but only Jira knows, so the caller asks).
func (b Board) HasSprints() bool { return b.Type == BoardScrum }

// BoardQuery filters the board list. Zero values filter nothing.
type BoardQuery struct {
	Type    string // BoardScrum, BoardKanban, BoardSimple, or several joined by ","
	Name    string // boards whose name contains this (case-insensitive)
	Project string // key or id of a project the board shows
	// PageSize is the page size asked for (0 = 50, Jira's default and
	// most).
	PageSize int
}

// BoardPage is one page of the board list.
type BoardPage struct {
	Boards []Board
	Next   int  // startAt of the following page
	Last   bool // no more pages
	Total  int  // -1 when Jira gives none
}

// BoardColumn is one column of a board, in the board's order.
type BoardColumn struct {
	Name string
	// StatusIDs are the statuses mapped to the column; match them with
	// Issue.Status.ID. A column may map none (it then stays empty) or
	// several.
	StatusIDs []string
	// Min and Max are the WIP limits; 0 means none.
	Min, Max int
}

// BoardConfig is a board's configuration: what the board view needs to lay
// out columns and cards.
type BoardConfig struct {
	ID       int
	Name     string
	Type     string
	FilterID string
	// SubQuery is a kanban board's extra JQL (which done issues still
	// show), empty elsewhere.
	SubQuery string
	// ProjectKey is the board's project when its location is one (Data
	// Center names the key; Cloud only the id, in ProjectID).
	ProjectKey string
	ProjectID  string
	Columns    []BoardColumn
	// Constraint says what the WIP limits count: ConstraintNone,
	// ConstraintIssueCount or ConstraintIssueCountSubs.
	Constraint string
	// Estimation is EstimateNone, EstimateIssueCount or EstimateField
	// (scrum boards; empty on others). EstimationField is the field id
	// (e.g. "customfield_10016") when Estimation is EstimateField, and
	// EstimationName its display name.
	Estimation      string
	EstimationField string
	EstimationName  string
	// RankField is the custom field Jira ranks the board by
	// ("customfield_10019").
	RankField string
}

// ColumnOf returns the index of the column a status is mapped to, or -1
// when the board does not show that status.
func (c *BoardConfig) ColumnOf(statusID string) int {
	for i, col := range c.Columns {
		for _, id := range col.StatusIDs {
			if id == statusID {
				return i
			}
		}
	}
	return -1
}

// DoneColumn is the index of the last column with statuses mapped to it,
// which Jira treats as done, or -1 when no column maps a status.
func (c *BoardConfig) DoneColumn() int {
	for i := len(c.Columns) - 1; i >= 0; i-- {
		if len(c.Columns[i].StatusIDs) > 0 {
			return i
		}
	}
	return -1
}

// OverLimit reports whether n cards in column i break its WIP limits: above
// Max, or below Min. The caller counts the cards as Constraint says (with or
// without sub-tasks); with ConstraintNone nothing is ever over.
func (c *BoardConfig) OverLimit(i, n int) (over, under bool) {
	if c.Constraint == ConstraintNone || c.Constraint == "" || i < 0 || i >= len(c.Columns) {
		return false, false
	}
	col := c.Columns[i]
	return col.Max > 0 && n > col.Max, col.Min > 0 && n < col.Min
}

// Sprint is one sprint of a board. Dates are zero when the sprint has none
// (a future sprint not yet planned).
type Sprint struct {
	ID            int
	Name          string
	State         string // SprintActive, SprintFuture or SprintClosed
	Goal          string
	Start         time.Time
	End           time.Time
	Complete      time.Time // when it was closed
	OriginBoardID int
}

// DaysLeft is the number of calendar days from now until the sprint's end,
// counting a part day as a whole one; 0 once it has ended, -1 when the
// sprint has no end date.
func (s Sprint) DaysLeft(now time.Time) int {
	if s.End.IsZero() {
		return -1
	}
	d := s.End.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + 24*time.Hour - 1) / (24 * time.Hour))
}

// SprintPage is one page of a board's sprints.
type SprintPage struct {
	Sprints []Sprint
	Next    int
	Last    bool
}

// AgileQuery is what a board, backlog or sprint issue page asks for.
type AgileQuery struct {
	// JQL narrows the board's own filter (it cannot widen it); "" = all.
	JQL string
	// Fields nil means ListFields; parent and the Agile fields sprint and
	// epic are always added (they fill Issue.Sprint and Issue.Epic).
	Fields []string
	// EstimateField is the board's estimation field (BoardConfig.
	// EstimationField); when set it is asked for and fills Issue.Estimate.
	EstimateField string
	// EpicField is Data Center's Epic Link field (EpicLinkField); when set
	// it is asked for and fills Issue.Epic. On Cloud the epic is the
	// parent and needs no field id.
	EpicField string
	PageSize  int // 0 = 50
}

// IssueFailure is one issue a bulk call could not change, with Jira's
// reasons.
type IssueFailure struct {
	Key    string
	ID     string
	Status int
	Errors []string
}

// PartialError is the underlying cause (reach it with errors.As) of a bulk
// agile call that changed some issues and not others: a 207 rank answer,
// or a move split into several requests of which a later one failed. Done
// lists the keys that were changed, Failed the rest with Jira's reasons.
type PartialError struct {
	Done   []string
	Failed []IssueFailure
}

// Error lists how many failed and the first reason.
func (p *PartialError) Error() string {
	if len(p.Failed) == 0 {
		return "no issue failed"
	}
	f := p.Failed[0]
	msg := strconv.Itoa(len(p.Failed)) + " of " + strconv.Itoa(len(p.Failed)+len(p.Done)) + " issues were not changed"
	if len(f.Errors) > 0 {
		msg += " (" + firstNonEmpty(f.Key, f.ID) + ": " + f.Errors[0] + ")"
	}
	return msg
}

// RankInput ranks issues before or after another issue. Exactly one of
// Before and After is set.
type RankInput struct {
	Issues []string // keys (or ids), in the order they should end up
	Before string   // rank them above this issue
	After  string   // rank them below this issue
	// RankField is the rank custom field's numeric id (BoardConfig.
	// RankField without "customfield_"); 0 = Jira's default rank field.
	RankField int
}

// Epic progress, counted from its children's status categories.
type EpicProgress struct {
	Done  int
	Total int
}
