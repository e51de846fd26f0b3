// Package jiraclient speaks Jira's REST API: Cloud (REST v3, API tokens,
// Atlassian Document Format) and Data Center (REST v2, Personal Access Tokens,
// wiki markup). Every request goes through one transport chain that adds auth,
// throttles, retries and logs with the credential redacted.
package jiraclient

// Client is a Jira REST client for one site and one credential.
type Client struct {
	base   string
	flavor Flavor
}
