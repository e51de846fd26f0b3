package jiraclient

import (
	"context"
	"testing"
)

// The Agile decoders join the fuzzed decoders (fuzzdecode_test.go): every
// body, whole or cut short, gives a value or a *Error with a next step.
func init() {
	decoders["agile"] = []struct {
		name      string
		cloudOnly bool
		run       func(ctx context.Context, c *Client) error
	}{
		{"Boards", false, func(ctx context.Context, c *Client) error {
			_, err := c.Boards(ctx, BoardQuery{Name: "a"}, 0)
			return err
		}},
		{"BoardConfiguration", false, func(ctx context.Context, c *Client) error {
			_, err := c.BoardConfiguration(ctx, 1)
			return err
		}},
		{"BoardIssues", false, func(ctx context.Context, c *Client) error {
			_, err := c.BoardIssues(ctx, 1, AgileQuery{EstimateField: "customfield_10105", EpicField: "customfield_10700"}, Cursor{})
			return err
		}},
		{"BoardSprints", false, func(ctx context.Context, c *Client) error {
			_, err := c.BoardSprints(ctx, 1, []string{SprintActive}, 0)
			return err
		}},
		{"RankIssues", false, func(ctx context.Context, c *Client) error {
			return c.RankIssues(ctx, RankInput{Issues: []string{"AB-1", "AB-2"}, Before: "AB-3"})
		}},
		{"EpicChildren", false, func(ctx context.Context, c *Client) error {
			_, err := c.EpicChildren(ctx, "AB-1", nil)
			return err
		}},
	}
}

func FuzzDecodeAgileResponse(f *testing.F) {
	fuzzSeeds(f, "agile/go-jira/board_configuration.json", "agile/go-jira/all_boards.json", "agile/go-jira/sprints.json",
		"agile/go-atlassian/get-board-sprints.json", "agile/go-jira/issues_in_sprint.json", "agile/go-atlassian/get-fields.json",
		"agile/schema/rank-207.json")
	f.Add([]byte(`{"entries":[{"issueId":"x","issueKey":null,"status":"500","errors":null}]}`))
	f.Add([]byte(`{"columnConfig":{"columns":[{"name":"A","statuses":[{"id":1}],"min":-3,"max":"x"}],"constraintType":7},"ranking":{"rankCustomFieldId":-1}}`))
	f.Add([]byte(`{"startAt":-5,"total":-1,"issues":[{"fields":{"epic":"x","sprint":[],"parent":{"fields":{"issuetype":{"hierarchyLevel":"1"}}},"customfield_10105":"NaN"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "agile", b) })
}
