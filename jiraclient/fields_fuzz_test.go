package jiraclient

import (
	"context"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// The field, watcher, worklog, link and attachment decoders join the
// fuzzed decoders (fuzzdecode_test.go): every body, whole or cut short,
// gives a value or a *Error with a next step.
func init() {
	decoders["fields"] = []struct {
		name      string
		cloudOnly bool
		run       func(ctx context.Context, c *Client) error
	}{
		{"Fields", false, func(ctx context.Context, c *Client) error {
			c.InvalidateFields()
			_, err := c.Fields(ctx)
			return err
		}},
		{"Watchers", false, func(ctx context.Context, c *Client) error {
			_, err := c.Watchers(ctx, "AB-1")
			return err
		}},
		{"Worklogs", false, func(ctx context.Context, c *Client) error {
			_, err := c.Worklogs(ctx, "AB-1", 0, 0)
			return err
		}},
		{"LinkTypes", false, func(ctx context.Context, c *Client) error {
			_, err := c.LinkTypes(ctx)
			return err
		}},
		{"Attachment", false, func(ctx context.Context, c *Client) error {
			_, err := c.Attachment(ctx, "10000")
			return err
		}},
		{"TimeTracking", false, func(ctx context.Context, c *Client) error {
			_, err := c.TimeTracking(ctx, "AB-1")
			return err
		}},
	}
}

func FuzzDecodeFieldsResponse(f *testing.F) {
	fuzzSeeds(f, "fields/go-atlassian-get-fields.json", "fields/jira-ruby-field.json", "fields/spec-watchers.GET.200.json",
		"fields/jira-ruby-watchers.json", "fields/spec-worklog.GET.200.json", "fields/spec-issueLinkType.GET.200.json",
		"fields/go-jira-all_issuelinktypes.json", "fields/spec-attachment.GET.200.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "fields", b) })
}

// fuzzSchemas are the schemas FuzzDecodeFieldValue reads values as: one
// of each kind, and one jiffy does not know.
var fuzzSchemas = []FieldSchema{
	{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:textfield"},
	{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:textarea"},
	{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:url"},
	{Type: "number"}, {Type: "date"}, {Type: "datetime"}, {Type: "option"}, {Type: "array", Items: "option"},
	{Type: "option-with-child"}, {Type: "user"}, {Type: "array", Items: "user"}, {Type: "group"},
	{Type: "array", Items: "group"}, {Type: "version"}, {Type: "array", Items: "version"},
	{Type: "array", Items: "component"}, {Type: "array", Items: "string"},
	{Type: "array", Items: "json", Custom: SprintFieldType}, {Type: "any", Custom: "com.atlassian.teams:rm-teams-custom-field-team"},
	{Type: "issuelink", System: "parent"}, {Type: "any", Custom: EpicLinkFieldType}, {Type: "priority"},
	{Type: "timetracking"}, {Type: "watches"}, {Type: "array", Items: "issuelinks", System: "issuelinks"},
	{Type: "sd-request-lang"},
}

// FuzzDecodeFieldValue: any JSON under any schema decodes without a panic
// to text that is valid UTF-8, and what decoded can be handed back to the
// encoder, which either refuses it or builds JSON.
func FuzzDecodeFieldValue(f *testing.F) {
	seeds := []string{
		`{"self":"x","value":"America","id":"10054","child":{"value":"Costa Rica","id":"10056"}}`,
		`[{"id":4,"name":"KP Sprint 3","state":"future"}]`,
		`["com.atlassian.greenhopper.service.sprint.Sprint@1f[id=1,rapidViewId=1,state=ACTIVE,name=S, 1,goal=]"]`,
		`{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"hi"}]}]}`,
		`"h1. Title"`, `1000.323`, `"2021-02-23T00:00:00.000+0000"`, `[{"name":"jira-administrators"}]`,
		`{"accountId":"5b86","displayName":"A"}`, `{"originalEstimate":"1d","timeSpentSeconds":"5400"}`,
		`{"watchCount":2,"isWatching":true}`, `[[[[[[[["deep"]]]]]]]]`, `{"name":{"name":{"name":"x"}}}`, `null`, `"\u202e"`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, kind uint8, raw []byte) {
		s := fuzzSchemas[int(kind)%len(fuzzSchemas)]
		v := DecodeFieldValue(s, raw)
		if json.Valid(raw) && !utf8.ValidString(v.Format()) {
			t.Errorf("%s as %+v: text is not UTF-8: %q", raw, s, v.Format())
		}
		for _, fl := range []Flavor{FlavorCloud, FlavorDataCenter} {
			enc, err := EncodeField(fl, s, v)
			if err != nil {
				continue
			}
			if _, err := json.Marshal(enc); err != nil {
				t.Errorf("%s as %+v encoded to %#v, which is not JSON: %v", raw, s, enc, err)
			}
		}
	})
}
