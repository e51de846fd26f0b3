package fakejira

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"time"
)

var projectCatalogue = []struct{ Key, Name string }{
	{"JIF", "Jiffy Core"}, {"WEB", "Web Frontend"}, {"OPS", "Operations"}, {"API", "Public API"},
	{"MOB", "Mobile Apps"}, {"DATA", "Data Platform"}, {"SEC", "Security"}, {"DOC", "Documentation"},
}

var peopleCatalogue = []struct{ Name, Display, TZ string }{
	{"grace", "Grace Hopper", "America/New_York"},
	{"linus", "Linus Torvalds", "America/Los_Angeles"},
	{"margaret", "Margaret Hamilton", "America/Chicago"},
	{"ken", "Ken Thompson", "America/Los_Angeles"},
	{"barbara", "Barbara Liskov", "America/New_York"},
	{"dennis", "Dennis Ritchie", "America/New_York"},
	{"radia", "Radia Perlman", "Europe/London"},
	{"edsger", "Edsger Dijkstra", "Europe/Amsterdam"},
}

var componentNames = []string{"Backend", "UI", "Auth", "Search", "Infrastructure", "CLI"}
var labelPool = []string{"regression", "performance", "security", "tech-debt", "customer", "flaky-test", "ux", "good-first-issue", "backend", "frontend", "oncall", "release-blocker"}

var summaryVerbs = []string{"Fix", "Investigate", "Add", "Refactor", "Remove", "Speed up", "Document", "Harden", "Migrate", "Retry"}
var summaryObjects = []string{
	"token refresh when the session expires", "pagination of the issue search", "rate-limit handling for bursty clients",
	"the flaky integration test in CI", "panic on empty description", "dark-mode contrast in the sidebar",
	"connection pool exhaustion under load", "JQL autocomplete for labels", "TLS handshake timeout on proxies",
	"the nightly backup job", "memory leak in the websocket hub", "CSV export of filtered issues",
	"keyboard shortcuts for transitions", "retry budget for 503 responses", "audit log retention",
	"the Helm chart for staging", "N+1 queries on the board view", "Unicode handling in summaries",
	"stale cache after issue edits", "error message when the API token expires", "deploy pipeline for arm64",
	"cold start latency of the worker", "webhook signature verification", "timezone bug in due dates",
}

var epicNames = []string{"Offline mode", "Search overhaul", "Auth hardening", "Observability", "Onboarding flow", "Performance budget"}

var commentTexts = []string{
	"I can reproduce this on the latest build.",
	"Looks like a race between the refresh and the first request. *Bumping priority.*",
	"PR is up: [#482|https://git.example.com/jiffy/pull/482]. Could someone review?",
	"Not seeing it any more after the config change, but let's keep an eye on it.",
	"{{retry_after}} was being ignored; fixed in the client.",
	"Can we split this into smaller tickets? _The scope keeps growing._",
	"Deployed to staging, please verify.",
	"Root cause: we never closed the response body on 429.",
	"Added a regression test.\n* unit test for the parser\n* integration test against the fake",
}

// hexID makes an accountId shaped like the real 24-hex-digit ones.
func hexID(r *rand.Rand) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, 24)
	b[0] = "56"[r.Intn(2)]
	for i := 1; i < len(b); i++ {
		b[i] = hexd[r.Intn(16)]
	}
	return string(b)
}

// generate fills s with seeded data. Every draw comes from one generator in a
// fixed order, so the same Options give the same site.
func generate(s *Server, o Options) {
	r := rand.New(rand.NewSource(o.Seed))
	now := o.Now

	s.me = &user{Name: Username, Key: "JIRAUSER10000", AccountID: hexID(r), DisplayName: "Ada Lovelace", Email: Email, TimeZone: "Europe/London", Active: true}
	s.users = []*user{s.me}
	for i, p := range peopleCatalogue {
		s.users = append(s.users, &user{Name: p.Name, Key: fmt.Sprintf("JIRAUSER%d", 10001+i), AccountID: hexID(r), DisplayName: p.Display, Email: p.Name + "@example.com", TimeZone: p.TZ, Active: i != len(peopleCatalogue)-1})
	}
	others := s.users[1 : len(s.users)-1] // the last one is deactivated

	for i := 0; i < o.Projects; i++ {
		key, name := fmt.Sprintf("P%d", i+1), fmt.Sprintf("Project %d", i+1)
		if i < len(projectCatalogue) {
			key, name = projectCatalogue[i].Key, projectCatalogue[i].Name
		}
		p := &project{ID: fmt.Sprint(10000 + i), Key: key, Name: name, Lead: s.users[i%len(s.users)]}
		for j, c := range componentNames[:3+r.Intn(3)] {
			p.Components = append(p.Components, &component{ID: fmt.Sprint(10000 + i*10 + j), Name: c})
		}
		for j := 0; j < 3; j++ {
			v := &version{ID: fmt.Sprint(10000 + i*10 + j), Name: fmt.Sprintf("v1.%d.0", j+2), Released: j == 0}
			v.ReleaseDate = now.AddDate(0, 0, (j-1)*21).Format("2006-01-02")
			p.Versions = append(p.Versions, v)
		}
		p.Sprint = &sprint{ID: i + 1, Name: fmt.Sprintf("%s Sprint %d", key, 14+i), State: "active", BoardID: i + 1, Start: now.AddDate(0, 0, -6), End: now.AddDate(0, 0, 8), SequenceOrder: i + 1}
		s.projects = append(s.projects, p)
	}

	typeBy := map[string]*issueType{}
	for _, t := range s.types {
		typeBy[t.Name] = t
	}
	epics := map[*project][]*issue{}
	var parents []*issue
	for n := 0; n < o.Issues; n++ {
		p := s.projects[n%len(s.projects)]
		created := now.Add(-time.Duration(r.Int63n(int64(120 * 24 * time.Hour))))
		updated := created.Add(time.Duration(r.Int63n(int64(now.Sub(created)) + 1)))
		i := &issue{Project: p, Created: created, Updated: updated, StatusSince: updated}

		roll := r.Intn(100)
		switch {
		case roll < 5 || len(epics[p]) == 0 && n < len(s.projects)*2:
			i.Type = typeBy["Epic"]
			i.Summary = epicNames[r.Intn(len(epicNames))]
		case roll < 20 && len(parents) > 0:
			i.Type = typeBy["Sub-task"]
			i.Parent = parents[r.Intn(len(parents))]
			i.Project = i.Parent.Project
			i.Summary = summaryVerbs[r.Intn(len(summaryVerbs))] + " " + summaryObjects[r.Intn(len(summaryObjects))]
		default:
			i.Type = []*issueType{typeBy["Bug"], typeBy["Story"], typeBy["Task"], typeBy["Bug"]}[r.Intn(4)]
			i.Summary = summaryVerbs[r.Intn(len(summaryVerbs))] + " " + summaryObjects[r.Intn(len(summaryObjects))]
			if es := epics[i.Project]; len(es) > 0 && r.Intn(2) == 0 {
				i.Parent = es[r.Intn(len(es))]
			}
		}
		i.Priority = s.priorities[[]int{0, 1, 1, 2, 2, 2, 2, 3, 3, 4}[r.Intn(10)]]
		i.Reporter = s.users[r.Intn(len(s.users))]
		i.Creator = i.Reporter

		// About a third are mine and unresolved.
		mine := r.Intn(3) == 0
		st := s.statuses[[]int{0, 0, 1, 1, 2, 3, 3}[r.Intn(7)]]
		if mine {
			i.Assignee = s.me
			st = s.statuses[r.Intn(3)]
		} else if r.Intn(5) > 0 {
			i.Assignee = others[r.Intn(len(others))]
		}
		i.Status = st
		if st.Cat == catDone {
			i.Resolution = s.resols[[]int{0, 0, 0, 0, 1, 2}[r.Intn(6)]]
			i.ResolvedAt = updated
		}
		for k := r.Intn(3); k > 0; k-- {
			l := labelPool[r.Intn(len(labelPool))]
			if !contains(i.Labels, l) {
				i.Labels = append(i.Labels, l)
			}
		}
		if r.Intn(3) > 0 {
			i.Components = []*component{i.Project.Components[r.Intn(len(i.Project.Components))]}
		}
		if r.Intn(2) == 0 {
			i.FixVersions = []*version{i.Project.Versions[r.Intn(len(i.Project.Versions))]}
		}
		if i.Type.Name != "Epic" && r.Intn(2) == 0 {
			i.Sprint = i.Project.Sprint
		}
		if r.Intn(4) == 0 {
			i.DueDate = now.AddDate(0, 0, r.Intn(40)-10).Format("2006-01-02")
		}
		if r.Intn(6) > 0 {
			i.Description = genDescription(r, s, i)
		}
		for k := r.Intn(7); k > 0; k-- {
			at := created.Add(time.Duration(r.Int63n(int64(updated.Sub(created)) + 1)))
			s.nextCmt++
			i.Comments = append(i.Comments, &comment{ID: s.nextCmt, Author: s.users[r.Intn(len(s.users))], Body: fromWiki(commentTexts[r.Intn(len(commentTexts))]), Created: at, Updated: at})
		}
		sort.Slice(i.Comments, func(a, b int) bool { return i.Comments[a].Created.Before(i.Comments[b].Created) })
		s.insert(i)
		if i.Type.Name == "Epic" {
			epics[i.Project] = append(epics[i.Project], i)
		} else if !i.Type.Subtask && (i.Type.Name == "Story" || i.Type.Name == "Task") {
			parents = append(parents, i)
		}
	}
	// Links between random pairs, mirrored on both ends like Jira shows them.
	for n := 0; n < len(s.issues)/8; n++ {
		a, b := s.issues[r.Intn(len(s.issues))], s.issues[r.Intn(len(s.issues))]
		if a == b {
			continue
		}
		lt := linkBlocks
		if r.Intn(2) == 0 {
			lt = linkRelates
		}
		s.link(a, b, lt)
	}

	s.filters = []filter{
		{"10000", "My open issues", "Everything assigned to me that is not done.", "assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC, updated DESC"},
		{"10001", "Reported by me", "Issues I reported.", "reporter = currentUser() ORDER BY created DESC"},
		{"10002", "Open bugs", "Unresolved bugs in every project.", "type = Bug AND statusCategory != Done ORDER BY priority DESC"},
		{"10003", "In review", "Waiting for a reviewer.", `status = "In Review" ORDER BY updated DESC`},
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// insert assigns id, key and rank and indexes the issue; s.mu held or not yet shared.
func (s *Server) insert(i *issue) {
	s.nextID++
	i.ID = s.nextID
	s.counters[i.Project.Key]++
	i.Key = fmt.Sprintf("%s-%d", i.Project.Key, s.counters[i.Project.Key])
	s.nextRank++
	i.Rank = s.nextRank
	s.issues = append(s.issues, i)
	s.byKey[i.Key] = i
}

func (s *Server) link(a, b *issue, lt *linkType) {
	s.nextLink++
	id := fmt.Sprint(s.nextLink)
	a.Links = append(a.Links, &issueLink{ID: id, Type: lt, Outward: true, Other: b})
	b.Links = append(b.Links, &issueLink{ID: id, Type: lt, Outward: false, Other: a})
}

func genDescription(r *rand.Rand, s *Server, i *issue) *node {
	mention := s.users[1+r.Intn(len(s.users)-1)].Name
	lang := []string{"go", "bash", "json", "yaml"}[r.Intn(4)]
	code := map[string]string{
		"go":   "resp, err := client.Do(req)\nif err != nil {\n\treturn fmt.Errorf(\"search: %w\", err)\n}\ndefer resp.Body.Close()",
		"bash": "curl -s -u \"$EMAIL:$TOKEN\" \"$SITE/rest/api/3/myself\" | jq .accountId",
		"json": "{\"errorMessages\":[],\"errors\":{\"summary\":\"You must specify a summary of the issue.\"}}",
		"yaml": "retry:\n  max: 4\n  backoff: 5s",
	}[lang]
	var b strings.Builder
	fmt.Fprintf(&b, "*Impact:* %s users see this weekly.\n\n", []string{"Some", "Most", "A few"}[r.Intn(3)])
	fmt.Fprintf(&b, "h2. Context\n\n%s is affecting *%s*. First noticed by [~%s] during the last release; see [the runbook|https://wiki.example.com/runbooks/%s].\n\n",
		strings.ToUpper(i.Summary[:1])+i.Summary[1:], i.Project.Name, mention, strings.ToLower(i.Project.Key))
	b.WriteString("h3. Steps to reproduce\n\n# Log in with a fresh API token\n# Open the issue list and page to the end\n# Wait for the token refresh\n\n")
	b.WriteString("h3. Notes\n\n* happens on _both_ Cloud and Data Center\n* workaround: restart with {{--no-cache}}\n** only when the cache is warm\n\n")
	fmt.Fprintf(&b, "{code:%s}\n%s\n{code}\n\n", lang, code)
	if r.Intn(2) == 0 {
		b.WriteString("||Environment||Result||\n|staging|fails 3/10|\n|production|fails 1/50|\n\n")
	}
	b.WriteString("{panel:title=Note}\nThis description was generated by the fake Jira server.\n{panel}\n\n")
	b.WriteString("bq. The fix should not change the public API.")
	return fromWiki(b.String())
}
