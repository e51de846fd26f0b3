package jiraclient

import (
	"encoding/json"
	"strconv"
	"testing"
)

// benchCustom are value shapes of the kinds a real site's issues carry,
// from the captures (testdata/go-atlassian/search-issues.json), cycled
// over 30 custom fields.
var benchCustom = []struct {
	schema FieldSchema
	value  string
}{
	{FieldSchema{Type: "option", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:select"}, `{"self":"https://x.atlassian.net/rest/api/3/customFieldOption/10022","value":"App 3","id":"10022"}`},
	{FieldSchema{Type: "array", Items: "option", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:multiselect"}, `[{"self":"https://x.atlassian.net/rest/api/3/customFieldOption/10044","value":"Option 1","id":"10044"},{"self":"https://x.atlassian.net/rest/api/3/customFieldOption/10045","value":"Option 2","id":"10045"}]`},
	{FieldSchema{Type: "option-with-child", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect"}, `{"self":"https://x.atlassian.net/rest/api/3/customFieldOption/10054","value":"America","id":"10054","child":{"self":"https://x.atlassian.net/rest/api/3/customFieldOption/10056","value":"Costa Rica","id":"10056"}}`},
	{FieldSchema{Type: "user", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:userpicker"}, `{"self":"https://x.atlassian.net/rest/api/3/user?accountId=5b86be50b8e3cb5895860d6d","accountId":"5b86be50b8e3cb5895860d6d","emailAddress":"someone@example.com","avatarUrls":{"48x48":"https://a/48","24x24":"https://a/24","16x16":"https://a/16","32x32":"https://a/32"},"displayName":"Carlos Treminio","active":true,"timeZone":"America/Costa_Rica","accountType":"atlassian"}`},
	{FieldSchema{Type: "number", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:float"}, `1000.323`},
	{FieldSchema{Type: "date", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:datepicker"}, `"2021-02-23"`},
	{FieldSchema{Type: "datetime", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:datetime"}, `"2021-02-23T00:00:00.000+0000"`},
	{FieldSchema{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:url"}, `"http://www.atlassian.com"`},
	{FieldSchema{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}, `"this is the new text field custom field"`},
	{FieldSchema{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:textarea"}, `{"version":1,"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Given a fresh profile, ","marks":[{"type":"strong"}]},{"type":"text","text":"the list loads in under a second."}]}]}`},
	{FieldSchema{Type: "array", Items: "group", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:multigrouppicker"}, `[{"name":"jira-administrators","self":"https://x.atlassian.net/rest/api/3/group?groupname=jira-administrators"}]`},
	{FieldSchema{Type: "array", Items: "json", Custom: SprintFieldType}, `[{"id":4,"name":"KP Sprint 3","state":"active","boardId":4,"goal":"","startDate":"2026-02-23T09:30:00.000Z","endDate":"2026-03-09T09:30:00.000Z"}]`},
	{FieldSchema{Type: "array", Items: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:labels"}, `["customer-reported","perf"]`},
	{FieldSchema{Type: "number", Custom: StoryPointsFieldType}, `5`},
	{FieldSchema{Type: "any", Custom: "com.atlassian.teams:rm-teams-custom-field-team"}, `{"id":"36885b3c-1bf0-4f85-a357-c5b858c31de4","name":"Platform","title":"Platform","avatarUrl":"","isVisible":true,"isVerified":false,"isShared":true}`},
}

// benchPage is a 100-issue search page, each issue with the list fields
// and 30 custom fields, and the schemas to read them.
func benchPage(tb testing.TB) ([]byte, *Fields) {
	tb.Helper()
	fs := &Fields{byID: map[string]int{}}
	for n := 0; n < 30; n++ {
		id := "customfield_" + strconv.Itoa(10100+n)
		fs.byID[id] = len(fs.List)
		fs.List = append(fs.List, Field{ID: id, Name: "Field " + strconv.Itoa(n), Custom: true, Schema: benchCustom[n%len(benchCustom)].schema})
	}
	var page struct {
		Issues []map[string]any `json:"issues"`
		IsLast bool             `json:"isLast"`
	}
	page.IsLast = true
	for i := 0; i < 100; i++ {
		fields := map[string]any{
			"summary":   "Search paging loses the cursor after a token expires " + strconv.Itoa(i),
			"issuetype": map[string]any{"id": "10004", "name": "Bug", "subtask": false},
			"priority":  map[string]any{"id": "3", "name": "Medium"},
			"status":    map[string]any{"id": "3", "name": "In Progress", "statusCategory": map[string]any{"key": "indeterminate"}},
			"assignee":  map[string]any{"accountId": "5b86be50b8e3cb5895860d6d", "displayName": "Carlos Treminio", "active": true},
			"updated":   "2026-03-01T10:00:00.000+0000",
		}
		for n := 0; n < 30; n++ {
			fields["customfield_"+strconv.Itoa(10100+n)] = json.RawMessage(benchCustom[n%len(benchCustom)].value)
		}
		page.Issues = append(page.Issues, map[string]any{"id": strconv.Itoa(10000 + i), "key": "ABC-" + strconv.Itoa(i+1), "fields": fields})
	}
	b, err := json.Marshal(page)
	if err != nil {
		tb.Fatal(err)
	}
	return b, fs
}

// BenchmarkDecodeCustomFieldPage decodes a 100-issue page with 30 custom
// fields per issue: the list's typed fields plus every value by schema.
func BenchmarkDecodeCustomFieldPage(b *testing.B) {
	data, fs := benchPage(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := decodeSearchPage(data, FlavorCloud, Cursor{}, "")
		if err != nil {
			b.Fatal(err)
		}
		fillValues(page.Issues, data, fs)
		if len(page.Issues[99].Values) != 36 {
			b.Fatalf("values: %d", len(page.Issues[99].Values))
		}
	}
}

// BenchmarkDecodeListPage is the same page without Schemas: what a list
// that shows no custom columns pays.
func BenchmarkDecodeListPage(b *testing.B) {
	data, _ := benchPage(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeSearchPage(data, FlavorCloud, Cursor{}, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchPageDecodes(t *testing.T) {
	data, fs := benchPage(t)
	page, err := decodeSearchPage(data, FlavorCloud, Cursor{}, "")
	if err != nil {
		t.Fatal(err)
	}
	fillValues(page.Issues, data, fs)
	v := page.Issues[0].Values
	if v["customfield_10102"].Format() != "America / Costa Rica" || v["customfield_10111"].Format() != "KP Sprint 3" || v["customfield_10114"].Format() != "Platform" {
		t.Errorf("values: %+v", v)
	}
}
