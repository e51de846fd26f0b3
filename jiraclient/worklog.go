package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Worklog is one entry of work logged on an issue. Comment is Markdown.
type Worklog struct {
	ID               string
	Author           User
	Comment          string
	Started          time.Time
	TimeSpent        string // as Jira writes it: "1h 30m"
	TimeSpentSeconds int64
	Created          time.Time
	Updated          time.Time
}

// WorklogPage is one page of an issue's worklogs, oldest first.
type WorklogPage struct {
	Worklogs []Worklog
	StartAt  int
	Total    int
	Last     bool
}

type wireWorklog struct {
	ID               flexString `json:"id"`
	Author           *User      `json:"author"`
	Comment          rawBody    `json:"comment"`
	Started          jiraTime   `json:"started"`
	TimeSpent        string     `json:"timeSpent"`
	TimeSpentSeconds flexInt    `json:"timeSpentSeconds"`
	Created          jiraTime   `json:"created"`
	Updated          jiraTime   `json:"updated"`
}

func (w *wireWorklog) worklog() Worklog {
	wl := Worklog{ID: string(w.ID), Comment: w.Comment.markdown(), Started: w.Started.Time, TimeSpent: w.TimeSpent,
		TimeSpentSeconds: int64(w.TimeSpentSeconds), Created: w.Created.Time, Updated: w.Updated.Time}
	if w.Author != nil {
		wl.Author = *w.Author
	}
	if wl.TimeSpent == "" && wl.TimeSpentSeconds > 0 {
		wl.TimeSpent = FormatDuration(wl.TimeSpentSeconds)
	}
	return wl
}

// Worklogs returns one page of an issue's worklogs from startAt (max 0 =
// Jira's default page of up to 5000 on Cloud, all on DC).
//
// Jira REST: GET /rest/api/{3|2}/issue/{key}/worklog
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/#api-rest-api-3-issue-issueidorkey-worklog-get
func (c *Client) Worklogs(ctx context.Context, key string, startAt, max int) (WorklogPage, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return WorklogPage{}, err
	}
	p := c.api("issue", key, "worklog")
	if err := checkKey(http.MethodGet, p, key); err != nil {
		return WorklogPage{}, err
	}
	q := url.Values{}
	q.Set("startAt", strconv.Itoa(max0(startAt)))
	if max > 0 {
		q.Set("maxResults", strconv.Itoa(max))
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: p, Query: q}, &raw); err != nil {
		return WorklogPage{}, err
	}
	var w struct {
		StartAt    flexInt       `json:"startAt"`
		MaxResults flexInt       `json:"maxResults"`
		Total      flexInt       `json:"total"`
		Worklogs   []wireWorklog `json:"worklogs"`
	}
	if err := unmarshalLoose(raw, &w); err != nil {
		return WorklogPage{}, decodeError(http.MethodGet, p, err)
	}
	page := WorklogPage{StartAt: int(w.StartAt), Total: int(w.Total)}
	for i := range w.Worklogs {
		page.Worklogs = append(page.Worklogs, w.Worklogs[i].worklog())
	}
	if page.Total < page.StartAt+len(page.Worklogs) {
		page.Total = page.StartAt + len(page.Worklogs)
	}
	page.Last = len(page.Worklogs) == 0 || page.StartAt+len(page.Worklogs) >= page.Total
	return page, nil
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// EstimateAdjust says what logging work does to the remaining estimate.
type EstimateAdjust struct {
	// Mode: "" or "auto" reduces the remaining estimate by the time spent;
	// "leave" keeps it; "new" sets it to Value; "manual" reduces it by Value.
	Mode  string
	Value string // a duration as Jira writes it ("2h"), for "new" and "manual"
}

// WorklogInput is work to log.
type WorklogInput struct {
	TimeSpent string    // as Jira writes it: "1h 30m", "2d", "45m"
	Started   time.Time // when the work began; zero = now
	Comment   string    // Markdown; sent as ADF on Cloud, wiki markup on DC
	Adjust    EstimateAdjust
}

// jiraTimeLayout is the timestamp form Jira's worklog "started" requires
// (an RFC 3339 time with a colon in the zone is refused).
const jiraTimeLayout = "2006-01-02T15:04:05.000-0700"

// AddWorklog logs work on an issue and returns the entry Jira created. The
// time spent is checked before sending ("1h 30m", "2d", "1w", or minutes);
// Jira answers 413 when the issue has reached its worklog limit. Not
// retried once it may have reached Jira: a second POST logs the work twice.
//
// Jira REST: POST /rest/api/{3|2}/issue/{key}/worklog?adjustEstimate=...
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/#api-rest-api-3-issue-issueidorkey-worklog-post
func (c *Client) AddWorklog(ctx context.Context, key string, in WorklogInput) (*Worklog, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	p := c.api("issue", key, "worklog")
	if err := checkKey(http.MethodPost, p, key); err != nil {
		return nil, err
	}
	spent := strings.Join(strings.Fields(in.TimeSpent), " ")
	if _, ok := ParseDuration(spent); !ok {
		return nil, invalidInput(http.MethodPost, p, "the time spent "+strconvQuote(in.TimeSpent)+" is not a duration Jira reads", "write it like 1h 30m, 45m, 2d or 1w")
	}
	q := url.Values{}
	switch in.Adjust.Mode {
	case "", "auto":
	case "leave":
		q.Set("adjustEstimate", "leave")
	case "new", "manual":
		if _, ok := ParseDuration(in.Adjust.Value); !ok {
			return nil, invalidInput(http.MethodPost, p, "the estimate "+strconvQuote(in.Adjust.Value)+" is not a duration Jira reads", "write it like 2h or 1d")
		}
		q.Set("adjustEstimate", in.Adjust.Mode)
		if in.Adjust.Mode == "new" {
			q.Set("newEstimate", in.Adjust.Value)
		} else {
			q.Set("reduceBy", in.Adjust.Value)
		}
	default:
		return nil, invalidInput(http.MethodPost, p, "unknown estimate adjustment "+strconvQuote(in.Adjust.Mode), "use auto, leave, new or manual")
	}
	started := in.Started
	if started.IsZero() {
		started = c.s.clock.Now()
	}
	body := map[string]any{"timeSpent": spent, "started": started.Format(jiraTimeLayout)}
	if !isBlank(in.Comment) {
		body["comment"] = encodeBody(f, in.Comment)
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodPost, Path: p, Query: q, Body: body, IssueKey: key}, &raw); err != nil {
		return nil, err
	}
	var w wireWorklog
	if err := unmarshalLoose(raw, &w); err != nil {
		return nil, decodeError(http.MethodPost, p, err)
	}
	wl := w.worklog()
	return &wl, nil
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// TimeTracking reads an issue's original and remaining estimates and the
// time spent.
//
// Jira REST: GET /rest/api/{3|2}/issue/{key}?fields=timetracking
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
func (c *Client) TimeTracking(ctx context.Context, key string) (*TimeTracking, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	p := c.api("issue", key)
	if err := checkKey(http.MethodGet, p, key); err != nil {
		return nil, err
	}
	q := url.Values{"fields": {"timetracking"}}
	var w struct {
		Fields struct {
			TimeTracking json.RawMessage `json:"timetracking"`
		} `json:"fields"`
	}
	if err := c.call(ctx, request{Method: http.MethodGet, Path: p, Query: q}, &w); err != nil {
		return nil, err
	}
	v := DecodeFieldValue(FieldSchema{Type: "timetracking", System: "timetracking"}, w.Fields.TimeTracking)
	if v.Tracking == nil {
		return &TimeTracking{}, nil
	}
	return v.Tracking, nil
}

// SetEstimates changes an issue's original and/or remaining estimate
// ("" leaves one as it is) through the timetracking field.
//
// Jira REST: PUT /rest/api/{3|2}/issue/{key} with fields.timetracking
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
func (c *Client) SetEstimates(ctx context.Context, key, original, remaining string) error {
	if original == "" && remaining == "" {
		return nil
	}
	return c.EditFields(ctx, key, []FieldChange{{ID: "timetracking", Schema: FieldSchema{Type: "timetracking", System: "timetracking"},
		Value: FieldValue{Kind: FieldTimeTracking, Tracking: &TimeTracking{Original: original, Remaining: remaining}}}})
}
