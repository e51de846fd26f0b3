package fakejira_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// A fake Data Center on a loopback port, read with a Personal Access Token.
func ExampleStart() {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorDataCenter, Seed: 1, Issues: 10})
	if err != nil {
		panic(err)
	}
	defer stop()
	key, _ := srv.AddIssue(fakejira.NewIssue{Project: "OPS", Summary: "Rotate the signing keys", Assignee: fakejira.Username})

	req, _ := http.NewRequest("GET", url+"/rest/api/2/issue/"+key+"?fields=summary,assignee", nil)
	req.Header.Set("Authorization", "Bearer "+fakejira.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var issue struct {
		Key    string
		Fields struct {
			Summary  string
			Assignee struct{ Name string }
		}
	}
	_ = json.NewDecoder(res.Body).Decode(&issue)
	fmt.Println(res.StatusCode, res.Header.Get("X-AUSERNAME"), issue.Key, issue.Fields.Summary, issue.Fields.Assignee.Name)
	// Output: 200 ada OPS-5 Rotate the signing keys ada
}
