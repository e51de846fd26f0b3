package jiraclient

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// Flavor says which Jira a site is: Cloud speaks REST v3 with Atlassian Document
// Format bodies and accountIds; Data Center (and Server) speaks REST v2 with
// wiki-markup strings and user names.
type Flavor int

const (
	FlavorUnknown Flavor = iota
	FlavorCloud
	FlavorDataCenter
)

// String returns "cloud", "datacenter" or "unknown"; ParseFlavor reads it back.
func (f Flavor) String() string {
	switch f {
	case FlavorCloud:
		return "cloud"
	case FlavorDataCenter:
		return "datacenter"
	}
	return "unknown"
}

// Title is the flavour as a person names it.
func (f Flavor) Title() string {
	switch f {
	case FlavorCloud:
		return "Jira Cloud"
	case FlavorDataCenter:
		return "Jira Data Center"
	}
	return "Jira"
}

// ParseFlavor reads the String form (also "server", "dc").
func ParseFlavor(s string) Flavor {
	switch s {
	case "cloud", "Cloud":
		return FlavorCloud
	case "datacenter", "DataCenter", "dc", "server", "Server":
		return FlavorDataCenter
	}
	return FlavorUnknown
}

// APIVersion is the REST API version the flavour speaks: "3" on Cloud, "2" elsewhere.
func (f Flavor) APIVersion() string {
	if f == FlavorCloud {
		return "3"
	}
	return "2"
}

// AuthKind is how a Credential is sent.
type AuthKind int

const (
	// AuthBasic sends "Authorization: Basic base64(user:token)": a Cloud
	// email + API token (or a Data Center username + password).
	AuthBasic AuthKind = iota
	// AuthBearer sends "Authorization: Bearer token": a Data Center Personal Access Token.
	AuthBearer
)

// Credential is what the client authenticates with. It is handed to the
// client by the caller; the client never reads files or the keyring.
// Its String and GoString never show the token.
type Credential struct {
	Kind  AuthKind
	User  string // Basic only: the Cloud account email (or DC username)
	Token string // API token or PAT; never logged, never shown
}

// String describes the credential without the token.
func (c Credential) String() string {
	if c.Kind == AuthBearer {
		return "bearer token (redacted)"
	}
	return "basic " + c.User + ":(redacted)"
}

// GoString keeps %#v from printing the token.
// secretForms are the ways the credential can show up in text: the token,
// and the base64 forms a header carries (a proxy or a Jira bug may echo the
// Authorization header back in an error page). Longest first, so a form
// that contains another is replaced whole.
func (c Credential) secretForms() []string {
	if c.Token == "" {
		return nil
	}
	return []string{
		base64.StdEncoding.EncodeToString([]byte(c.User + ":" + c.Token)),
		base64.StdEncoding.EncodeToString([]byte(c.Token)),
		c.Token,
	}
}

func (c Credential) GoString() string { return "jiraclient.Credential{" + c.String() + "}" }

// ServerInfo is GET /rest/api/2/serverInfo.
type ServerInfo struct {
	BaseURL        string `json:"baseUrl"`
	Version        string `json:"version"`
	VersionNumbers []int  `json:"versionNumbers"`
	DeploymentType string `json:"deploymentType"` // "Cloud", "Server" or "DataCenter"
	BuildNumber    int    `json:"buildNumber"`
	ServerTitle    string `json:"serverTitle"`
}

// User is a Jira user. On Cloud AccountID identifies them; on Data Center Name
// (the username) and Key do.
type User struct {
	AccountID   string `json:"accountId,omitempty"`
	Name        string `json:"name,omitempty"`
	Key         string `json:"key,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Email       string `json:"emailAddress,omitempty"`
	Active      bool   `json:"active"`
	TimeZone    string `json:"timeZone,omitempty"`
}

// UnmarshalJSON reads a user as Jira sends it, with the display name and
// email made one line (identifiers are kept as sent: writes send them back).
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	var p plain
	if err := unmarshalLoose(b, &p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil // not an object: no user, as before (see decode.go)
		}
		return err
	}
	*u = User(p)
	u.DisplayName, u.Email = safetext.Line(u.DisplayName), safetext.Line(u.Email)
	return nil
}

// ID is the identifier Jira wants for this user on writes: the accountId on
// Cloud, the username on Data Center.
func (u User) ID() string {
	if u.AccountID != "" {
		return u.AccountID
	}
	return u.Name
}

// StatusCategory keys as Jira sends them.
const (
	CategoryToDo       = "new"
	CategoryInProgress = "indeterminate"
	CategoryDone       = "done"
)

// Status is an issue status with its category key (CategoryToDo, ...).
type Status struct {
	ID       string
	Name     string
	Category string
}

// IssueType is an issue type.
type IssueType struct {
	ID      string
	Name    string
	Subtask bool
}

// Priority is an issue priority.
type Priority struct {
	ID   string
	Name string
}

// IssueRef is another issue as it appears inside an issue: a parent, a
// sub-task, the far end of a link.
type IssueRef struct {
	ID      string
	Key     string
	Summary string
	Status  Status
	Type    string
}

// IssueLink is one link of an issue, phrased from this issue's side
// ("blocks", "is blocked by", "relates to").
type IssueLink struct {
	ID       string
	Relation string
	Issue    IssueRef
}

// Attachment is a file attached to an issue.
type Attachment struct {
	ID       string
	Filename string
	Size     int64
	MimeType string
	Created  time.Time
	Author   string // display name
	// AuthorUser is the uploader as Jira sent them (nil when absent).
	AuthorUser *User
}

// Comment is one comment. Body is Markdown, converted from ADF (Cloud) or
// wiki markup (Data Center).
type Comment struct {
	ID      string
	Author  User
	Body    string
	Created time.Time
	Updated time.Time
}

// Issue is an issue with only the fields jiffy's views use. Fields not asked
// for are zero. Description is Markdown, converted from ADF (Cloud) or wiki
// markup (Data Center).
type Issue struct {
	ID          string
	Key         string
	Summary     string
	Project     string // project key
	Type        IssueType
	Status      Status
	Priority    *Priority
	Resolution  string
	Assignee    *User
	Reporter    *User
	Created     time.Time
	Updated     time.Time
	Labels      []string
	Components  []string
	FixVersions []string
	Parent      *IssueRef
	Sprint      string
	// Epic is the issue's epic: Cloud's parent when it is an epic, Data
	// Center's Epic Link, or the Agile API's epic field. Filled by the
	// board, backlog and sprint pages (and EpicChildren); nil elsewhere.
	Epic *IssueRef
	// Estimate is the board's estimation field (story points) when a board
	// page asked for it (AgileQuery.EstimateField); nil when unset.
	Estimate    *float64
	Description string
	Comments    []Comment
	// CommentTotal is how many comments the issue has (Comments may hold fewer).
	CommentTotal int
	Links        []IssueLink
	Subtasks     []IssueRef
	Attachments  []Attachment
	// Transitions is filled when GetIssueOptions.Transitions was set.
	Transitions []Transition
	// Names maps field ids to their display names when asked for.
	Names map[string]string
	// Raw is Jira's own JSON of the issue, kept only when asked
	// (SearchQuery.Raw, GetIssueOptions.Raw): `jiffy list --raw`.
	Raw json.RawMessage
	// Values holds every returned field decoded by its schema (null fields
	// left out) when the request carried Schemas; nil otherwise.
	Values map[string]FieldValue
}

// FieldSchema is a field's type as Jira describes it ("string", "array" of
// "string", "priority", "user", "option", ...).
type FieldSchema struct {
	Type     string `json:"type"`
	Items    string `json:"items,omitempty"`
	System   string `json:"system,omitempty"`
	Custom   string `json:"custom,omitempty"`
	CustomID int64  `json:"customId,omitempty"`
}

// AllowedValue is one value a field accepts (a priority, a resolution, an
// option). Name is what to show; use Ref to send it.
type AllowedValue struct {
	ID    string
	Name  string
	Value string // options use "value" instead of "name"
	// Disabled is an option an admin disabled: shown on old issues, not offered.
	Disabled bool
}

// FieldMeta describes one field of an edit, create or transition screen.
type FieldMeta struct {
	ID            string
	Name          string
	Required      bool
	Schema        FieldSchema
	Operations    []string
	AllowedValues []AllowedValue
	// Children are a cascading select's second-level options, keyed by
	// the ID of their first-level option in AllowedValues.
	Children        map[string][]AllowedValue
	AutoCompleteURL string
	HasDefault      bool
	// DefaultValue is the value Jira fills in when the field is left out
	// (decoded by Schema); nil when there is none.
	DefaultValue *FieldValue
}

// Transition is one workflow transition Jira offers for an issue.
type Transition struct {
	ID        string
	Name      string
	To        Status
	HasScreen bool
	// Fields are the transition screen's fields (asked with
	// expand=transitions.fields), keyed by field id.
	Fields map[string]FieldMeta
}

// Project is a project.
type Project struct {
	ID   string
	Key  string
	Name string
}

// Filter is a saved Jira filter.
type Filter struct {
	ID   string
	Name string
	JQL  string
}
