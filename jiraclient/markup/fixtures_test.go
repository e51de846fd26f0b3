package markup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fixtureDoc is one body found in a captured Jira response.
type fixtureDoc struct {
	name string // file:json/path, stable and readable
	raw  json.RawMessage
}

var adfFixtures = []string{"get-issue.json", "get-issue-comments.json", "search-issues.json"}

var wikiFixtures = []string{
	"get-issue-v2.json", "get-issue-comments-v2.json", "issue-search-v2.json",
	"jira-ruby-issue.json", "jira-ruby-issue-10002-comment.json",
}

// bodyKeys are the fields that hold rich text in Jira responses.
var bodyKeys = map[string]bool{"description": true, "environment": true, "body": true, "comment": true}

// loadFixtureDocs returns every ADF document (wantADF) or every non-empty
// wiki string under a rich-text key in the named fixture files, deduplicated
// by content, in file and path order.
func loadFixtureDocs(t testing.TB, files []string, wantADF bool) []fixtureDoc {
	t.Helper()
	var out []fixtureDoc
	seen := map[string]bool{}
	for _, f := range files {
		data := readFixture(t, f)
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var walk func(v any, path string, key string)
		walk = func(v any, path, key string) {
			switch v := v.(type) {
			case map[string]any:
				if wantADF && v["type"] == "doc" {
					raw, _ := json.Marshal(v)
					if !seen[string(raw)] {
						seen[string(raw)] = true
						out = append(out, fixtureDoc{name: f + ":" + path, raw: raw})
					}
					return
				}
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					walk(v[k], path+"/"+k, k)
				}
			case []any:
				for i, x := range v {
					walk(x, path+"/"+strconv.Itoa(i), key)
				}
			case string:
				if !wantADF && bodyKeys[key] && v != "" && !seen[v] && !isTypeDescription(path) {
					seen[v] = true
					raw, _ := json.Marshal(v)
					out = append(out, fixtureDoc{name: f + ":" + path, raw: raw})
				}
			}
		}
		walk(v, "", "")
	}
	return out
}

// isTypeDescription skips the "description" of issue types, statuses and
// the like, which are plain strings and not wiki bodies.
func isTypeDescription(path string) bool {
	for _, p := range []string{"/issuetype/", "/status/", "/priority/", "/resolution/", "/project/", "/components/", "/fixVersions/", "/versions/", "/statusCategory/"} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	return len(sub) <= len(s) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
