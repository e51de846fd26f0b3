package fakejira

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// jiraTime is the timestamp layout Jira uses in every REST payload
// ("2021-11-18T00:18:29.845+0000").
const jiraTime = "2006-01-02T15:04:05.000-0700"

func fmtTime(t time.Time) string { return t.Format(jiraTime) }

type user struct {
	Name        string // DC username, also the internal id
	Key         string // DC user key (JIRAUSER10100)
	AccountID   string
	DisplayName string
	Email       string
	TimeZone    string
	Active      bool
}

type statusCategory struct {
	ID               int
	Key, Name, Color string
}

var (
	catNew  = &statusCategory{2, "new", "To Do", "blue-gray"}
	catProg = &statusCategory{4, "indeterminate", "In Progress", "yellow"}
	catDone = &statusCategory{3, "done", "Done", "green"}
)

type status struct {
	ID, Name, Description string
	Cat                   *statusCategory
	Order                 int
	TransitionID          string // the transition that leads here
}

type priority struct {
	ID, Name, Color, Description string
}

type resolution struct {
	ID, Name, Description string
}

type issueType struct {
	ID, Name, Description string
	Subtask               bool
	Hierarchy             int
	AvatarID              int
}

type project struct {
	ID, Key, Name string
	Lead          *user
	Components    []*component
	Versions      []*version
	Sprint        *sprint
}

type component struct{ ID, Name string }

type version struct {
	ID, Name    string
	Released    bool
	ReleaseDate string
}

type sprint struct {
	ID            int
	Name, State   string
	BoardID       int
	Start, End    time.Time
	SequenceOrder int
	Goal          string
	Complete      time.Time // closed sprints only
}

type linkType struct{ ID, Name, Inward, Outward string }

var (
	linkBlocks  = &linkType{"10000", "Blocks", "is blocked by", "blocks"}
	linkRelates = &linkType{"10003", "Relates", "relates to", "relates to"}
)

type issueLink struct {
	ID      string
	Type    *linkType
	Outward bool // true: this issue <Type.Outward> Other
	Other   *issue
}

type comment struct {
	ID      int
	Author  *user
	Body    *node
	Created time.Time
	Updated time.Time
}

type issue struct {
	ID          int
	Key         string
	Project     *project
	Type        *issueType
	Summary     string
	Description *node
	Status      *status
	Resolution  *resolution
	ResolvedAt  time.Time
	Priority    *priority
	Assignee    *user
	Reporter    *user
	Creator     *user
	Labels      []string
	Components  []*component
	FixVersions []*version
	Sprint      *sprint
	Parent      *issue // sub-task parent, or epic on Cloud-style hierarchies
	Links       []*issueLink
	Created     time.Time
	Updated     time.Time
	StatusSince time.Time
	DueDate     string
	Rank        int
	Comments    []*comment
	more        *issueMore // custom values, watchers, worklogs, attachments (fields.go)
}

// --- static catalogue --------------------------------------------------------

func newStatuses() []*status {
	return []*status{
		{ID: "10000", Name: "To Do", Cat: catNew, Order: 0, TransitionID: "11", Description: ""},
		{ID: "3", Name: "In Progress", Cat: catProg, Order: 1, TransitionID: "21", Description: "This issue is being actively worked on at the moment by the assignee."},
		{ID: "10002", Name: "In Review", Cat: catProg, Order: 2, TransitionID: "31", Description: ""},
		{ID: "10001", Name: "Done", Cat: catDone, Order: 3, TransitionID: "41", Description: ""},
	}
}

func newPriorities() []*priority {
	return []*priority{
		{"1", "Highest", "#d04437", "This problem will block progress."},
		{"2", "High", "#f15C75", "Serious problem that could block progress."},
		{"3", "Medium", "#f79232", "Has the potential to affect progress."},
		{"4", "Low", "#707070", "Minor problem or easily worked around."},
		{"5", "Lowest", "#999999", "Trivial problem with little or no impact on progress."},
	}
}

func newResolutions() []*resolution {
	return []*resolution{
		{"10000", "Done", "Work has been completed on this issue."},
		{"10001", "Won't Do", "This issue won't be actioned."},
		{"10002", "Duplicate", "The problem is a duplicate of an existing issue."},
	}
}

func newIssueTypes() []*issueType {
	return []*issueType{
		{"10004", "Bug", "A problem or error.", false, 0, 10303},
		{"10001", "Story", "Functionality or a feature expressed as a user goal.", false, 0, 10315},
		{"10002", "Task", "A small, distinct piece of work.", false, 0, 10318},
		{"10000", "Epic", "A big user story that needs to be broken down.", false, 1, 10307},
		{"10003", "Sub-task", "A small piece of work that's part of a larger task.", true, -1, 10316},
	}
}

// --- JSON rendering ------------------------------------------------------------

// render holds what every JSON shape needs: the flavour and the base URL.
type render struct {
	cloud  bool
	base   string
	quirks Quirks
}

func (r render) api() string {
	if r.cloud {
		return r.base + "/rest/api/3"
	}
	return r.base + "/rest/api/2"
}

func (r render) avatars(seed string) map[string]any {
	if r.cloud {
		ini := "initials/" + seed + ".png"
		p := "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/" + ini
		return map[string]any{"48x48": p + "?size=48&s=48", "24x24": p + "?size=24&s=24", "16x16": p + "?size=16&s=16", "32x32": p + "?size=32&s=32"}
	}
	p := r.base + "/secure/useravatar?"
	return map[string]any{"48x48": p + "ownerId=" + seed + "&avatarId=10122", "24x24": p + "size=small&ownerId=" + seed + "&avatarId=10122", "16x16": p + "size=xsmall&ownerId=" + seed + "&avatarId=10122", "32x32": p + "size=medium&ownerId=" + seed + "&avatarId=10122"}
}

func initials(u *user) string {
	var b strings.Builder
	for _, w := range strings.Fields(u.DisplayName) {
		b.WriteByte(w[0])
	}
	return b.String() + "-" + strconv.Itoa(len(u.DisplayName)%7)
}

func (r render) user(u *user) any {
	if u == nil {
		return nil
	}
	if r.cloud {
		return map[string]any{
			"self":         r.api() + "/user?accountId=" + u.AccountID,
			"accountId":    u.AccountID,
			"emailAddress": u.Email,
			"avatarUrls":   r.avatars(initials(u)),
			"displayName":  u.DisplayName,
			"active":       u.Active,
			"timeZone":     u.TimeZone,
			"accountType":  "atlassian",
		}
	}
	return map[string]any{
		"self":         r.api() + "/user?username=" + url.QueryEscape(u.Name),
		"name":         u.Name,
		"key":          u.Key,
		"emailAddress": u.Email,
		"avatarUrls":   r.avatars(u.Name),
		"displayName":  u.DisplayName,
		"active":       u.Active,
		"timeZone":     u.TimeZone,
	}
}

func (r render) statusCat(c *statusCategory) map[string]any {
	return map[string]any{"self": r.api() + "/statuscategory/" + strconv.Itoa(c.ID), "id": c.ID, "key": c.Key, "colorName": c.Color, "name": c.Name}
}

func (r render) status(s *status) map[string]any {
	return map[string]any{
		"self":           r.api() + "/status/" + s.ID,
		"description":    s.Description,
		"iconUrl":        r.base + "/",
		"name":           s.Name,
		"id":             s.ID,
		"statusCategory": r.statusCat(s.Cat),
	}
}

func (r render) priority(p *priority) any {
	if p == nil {
		return nil
	}
	return map[string]any{"self": r.api() + "/priority/" + p.ID, "iconUrl": r.base + "/images/icons/priorities/" + strings.ToLower(p.Name) + ".svg", "name": p.Name, "id": p.ID}
}

func (r render) priorityFull(p *priority) map[string]any {
	return map[string]any{"self": r.api() + "/priority/" + p.ID, "statusColor": p.Color, "description": p.Description, "iconUrl": r.base + "/images/icons/priorities/" + strings.ToLower(p.Name) + ".svg", "name": p.Name, "id": p.ID}
}

func (r render) resolution(x *resolution) any {
	if x == nil {
		return nil
	}
	return map[string]any{"self": r.api() + "/resolution/" + x.ID, "id": x.ID, "description": x.Description, "name": x.Name}
}

func (r render) issueType(t *issueType) map[string]any {
	m := map[string]any{
		"self":        r.api() + "/issuetype/" + t.ID,
		"id":          t.ID,
		"description": t.Description,
		"iconUrl":     r.base + "/secure/viewavatar?size=medium&avatarId=" + strconv.Itoa(t.AvatarID) + "&avatarType=issuetype",
		"name":        t.Name,
		"subtask":     t.Subtask,
		"avatarId":    t.AvatarID,
	}
	if r.cloud {
		m["hierarchyLevel"] = t.Hierarchy
	}
	return m
}

func (r render) projectAvatars(p *project) map[string]any {
	b := r.base + "/secure/projectavatar?"
	return map[string]any{"48x48": b + "pid=" + p.ID + "&avatarId=10419", "24x24": b + "size=small&s=small&pid=" + p.ID + "&avatarId=10419", "16x16": b + "size=xsmall&s=xsmall&pid=" + p.ID + "&avatarId=10419", "32x32": b + "size=medium&s=medium&pid=" + p.ID + "&avatarId=10419"}
}

func (r render) projectRef(p *project) map[string]any {
	m := map[string]any{"self": r.api() + "/project/" + p.ID, "id": p.ID, "key": p.Key, "name": p.Name, "projectTypeKey": "software", "avatarUrls": r.projectAvatars(p)}
	if r.cloud {
		m["simplified"] = false
	}
	return m
}

func (r render) project(p *project) map[string]any {
	m := r.projectRef(p)
	m["expand"] = "description,lead,issueTypes,url,projectKeys,permissions,insight"
	if r.cloud {
		m["style"] = "classic"
		m["isPrivate"] = false
		m["properties"] = map[string]any{}
	}
	return m
}

func (r render) issueRef(i *issue) map[string]any {
	return map[string]any{
		"id":   strconv.Itoa(i.ID),
		"key":  i.Key,
		"self": r.api() + "/issue/" + strconv.Itoa(i.ID),
		"fields": map[string]any{
			"summary":   i.Summary,
			"status":    r.status(i.Status),
			"priority":  r.priority(i.Priority),
			"issuetype": r.issueType(i.Type),
		},
	}
}

func (r render) sprintValue(sp *sprint) any {
	if sp == nil {
		return nil
	}
	if r.cloud {
		return []any{map[string]any{"id": sp.ID, "name": sp.Name, "state": sp.State, "boardId": sp.BoardID, "goal": sp.Goal, "startDate": sp.Start.UTC().Format("2006-01-02T15:04:05.000Z"), "endDate": sp.End.UTC().Format("2006-01-02T15:04:05.000Z")}}
	}
	// Data Center's v2 API still serialises sprints with the GreenHopper
	// toString form.
	return []any{fmt.Sprintf("com.atlassian.greenhopper.service.sprint.Sprint@%x[id=%d,rapidViewId=%d,state=%s,name=%s,startDate=%s,endDate=%s,completeDate=<null>,activatedDate=%s,sequence=%d,goal=%s,autoStartStop=false,synced=false]",
		0x1f39706+sp.ID, sp.ID, sp.BoardID, strings.ToUpper(sp.State), sp.Name, sp.Start.Format("2006-01-02T15:04:05.000-07:00"), sp.End.Format("2006-01-02T15:04:05.000-07:00"), sp.Start.Format("2006-01-02T15:04:05.000-07:00"), sp.SequenceOrder, sp.Goal)}
}

// Field ids of the custom fields the fake models; they differ between the
// flavours as they do on real sites.
func (r render) sprintField() string {
	if r.cloud {
		return "customfield_10020"
	}
	return "customfield_10101"
}

func (r render) rankField() string {
	if r.cloud {
		return "customfield_10019"
	}
	return "customfield_10102"
}

// epicLinkField is Data Center's "Epic Link"; Cloud puts the epic in parent.
const epicLinkField = "customfield_10100"

func rankString(n int) string { return fmt.Sprintf("0|i%05d:", n) }

func (r render) comment(issueID int, c *comment, users adfUserResolver) map[string]any {
	m := map[string]any{
		"self":         r.api() + "/issue/" + strconv.Itoa(issueID) + "/comment/" + strconv.Itoa(c.ID),
		"id":           strconv.Itoa(c.ID),
		"author":       r.user(c.Author),
		"updateAuthor": r.user(c.Author),
		"created":      fmtTime(c.Created),
		"updated":      fmtTime(c.Updated),
	}
	if r.cloud {
		m["body"] = toADF(c.Body, users)
		m["jsdPublic"] = true
	} else {
		m["body"] = toWiki(c.Body)
	}
	return m
}

// fieldNames are the display names served by expand=names.
func (r render) fieldNames() map[string]string {
	m := map[string]string{
		"summary": "Summary", "issuetype": "Issue Type", "project": "Project", "status": "Status",
		"priority": "Priority", "assignee": "Assignee", "reporter": "Reporter", "creator": "Creator",
		"labels": "Labels", "components": "Components", "fixVersions": "Fix versions", "versions": "Affects versions",
		"resolution": "Resolution", "resolutiondate": "Resolved", "created": "Created", "updated": "Updated",
		"description": "Description", "comment": "Comment", "subtasks": "Sub-tasks", "issuelinks": "Linked Issues",
		"parent": "Parent", "watches": "Watchers", "votes": "Votes", "duedate": "Due date",
		"statuscategorychangedate": "Status Category Changed", "environment": "Environment", "timetracking": "Time tracking",
		"attachment": "Attachment", "lastViewed": "Last Viewed", "security": "Security Level", "worklog": "Log Work",
		r.sprintField(): "Sprint", r.rankField(): "Rank",
	}
	if !r.cloud {
		m[epicLinkField] = "Epic Link"
	}
	r.moreFieldNames(m)
	return m
}

// allFieldIDs is every field a full issue carries, in a stable order.
func (r render) allFieldIDs() []string {
	names := r.fieldNames()
	ids := make([]string, 0, len(names))
	for k := range names {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	return ids
}

// fieldValue renders one field of an issue; ok is false for unknown ids.
func (r render) fieldValue(i *issue, id string, users adfUserResolver) (any, bool) {
	switch id {
	case "summary":
		return i.Summary, true
	case "issuetype":
		return r.issueType(i.Type), true
	case "project":
		return r.projectRef(i.Project), true
	case "status":
		return r.status(i.Status), true
	case "priority":
		return r.priority(i.Priority), true
	case "assignee":
		return r.user(i.Assignee), true
	case "reporter":
		return r.user(i.Reporter), true
	case "creator":
		return r.user(i.Creator), true
	case "labels":
		l := append([]string{}, i.Labels...)
		sort.Strings(l)
		return l, true
	case "components":
		out := []any{}
		for _, c := range i.Components {
			out = append(out, map[string]any{"self": r.api() + "/component/" + c.ID, "id": c.ID, "name": c.Name})
		}
		return out, true
	case "fixVersions":
		out := []any{}
		for _, v := range i.FixVersions {
			m := map[string]any{"self": r.api() + "/version/" + v.ID, "id": v.ID, "name": v.Name, "archived": false, "released": v.Released, "description": ""}
			if v.ReleaseDate != "" {
				m["releaseDate"] = v.ReleaseDate
			}
			out = append(out, m)
		}
		return out, true
	case "versions", "attachment":
		return []any{}, true
	case "resolution":
		return r.resolution(i.Resolution), true
	case "resolutiondate":
		if i.Resolution == nil {
			return nil, true
		}
		return fmtTime(i.ResolvedAt), true
	case "created":
		return fmtTime(i.Created), true
	case "updated":
		return fmtTime(i.Updated), true
	case "statuscategorychangedate":
		return fmtTime(i.StatusSince), true
	case "lastViewed", "security", "environment":
		return nil, true
	case "duedate":
		if i.DueDate == "" {
			return nil, true
		}
		return i.DueDate, true
	case "description":
		if i.Description == nil {
			return nil, true
		}
		if r.cloud {
			return toADF(i.Description, users), true
		}
		return toWiki(i.Description), true
	case "comment":
		cs := []any{}
		for _, c := range i.Comments {
			cs = append(cs, r.comment(i.ID, c, users))
		}
		return map[string]any{"comments": cs, "self": r.api() + "/issue/" + strconv.Itoa(i.ID) + "/comment", "maxResults": len(cs), "total": len(cs), "startAt": 0}, true
	case "worklog":
		return map[string]any{"startAt": 0, "maxResults": 20, "total": 0, "worklogs": []any{}}, true
	case "timetracking":
		return map[string]any{}, true
	case "subtasks":
		// Filled by the server, which knows the children; see issueJSON.
		return []any{}, true
	case "issuelinks":
		out := []any{}
		for _, l := range i.Links {
			m := map[string]any{"id": l.ID, "self": r.api() + "/issueLink/" + l.ID,
				"type": map[string]any{"id": l.Type.ID, "name": l.Type.Name, "inward": l.Type.Inward, "outward": l.Type.Outward, "self": r.api() + "/issueLinkType/" + l.Type.ID}}
			if l.Outward {
				m["outwardIssue"] = r.issueRef(l.Other)
			} else {
				m["inwardIssue"] = r.issueRef(l.Other)
			}
			out = append(out, m)
		}
		if r.quirks.EmptyLinkEnd && len(i.Links) > 0 {
			l := i.Links[0]
			out = append(out, map[string]any{"id": "9" + l.ID, "self": r.api() + "/issueLink/9" + l.ID,
				"type":         map[string]any{"id": l.Type.ID, "name": l.Type.Name, "inward": l.Type.Inward, "outward": l.Type.Outward, "self": r.api() + "/issueLinkType/" + l.Type.ID},
				"outwardIssue": map[string]any{}})
		}
		return out, true
	case "parent":
		if i.Parent == nil || (!r.cloud && !i.Type.Subtask) {
			return nil, true
		}
		return r.issueRef(i.Parent), true
	case epicLinkField:
		if r.cloud {
			return nil, false
		}
		if i.Parent == nil || i.Type.Subtask {
			return nil, true
		}
		return i.Parent.Key, true
	case "watches":
		return map[string]any{"self": r.api() + "/issue/" + i.Key + "/watchers", "watchCount": 1, "isWatching": true}, true
	case "votes":
		return map[string]any{"self": r.api() + "/issue/" + i.Key + "/votes", "votes": 0, "hasVoted": false}, true
	}
	switch id {
	case r.sprintField():
		return r.sprintValue(i.Sprint), true
	case r.rankField():
		return rankString(i.Rank), true
	}
	return nil, false
}
