package jiraclient_test

import (
	"context"
	"fmt"
	"log"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// Paging through a search looks the same on both flavours: the Pager
// sends Cloud's nextPageToken or Data Center's startAt as each needs.
func ExampleClient_Pages() {
	_, site, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorDataCenter, Issues: 30})
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	c, err := jiraclient.New(site, jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	p := c.Pages(jiraclient.SearchQuery{JQL: "ORDER BY key ASC", PageSize: 10})
	n, pages := 0, 0
	for p.More() {
		page, err := p.Next(ctx)
		if err != nil {
			log.Fatal(err)
		}
		n += len(page.Issues)
		pages++
	}
	fmt.Println(c.Flavor(), n, "issues in", pages, "pages")
	// Output: datacenter 30 issues in 3 pages
}
