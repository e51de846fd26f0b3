package jiraclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// boardPage500 fetches a 500-issue board page from fakejira as the board
// view asks for it (list fields, parent, sprint, epic, the estimate and, on
// Data Center, Epic Link). Cloud serves at most 100 a page, so its page is
// five pages spliced.
func boardPage500(b *testing.B, flavor string) (data []byte, estimate, epic string) {
	b.Helper()
	s, u, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Projects: 1, Issues: 520, Seed: 3})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	estimate, epic = "customfield_10016", ""
	if flavor == fakejira.FlavorDataCenter {
		estimate, epic = "customfield_10106", "customfield_10100"
	}
	q := AgileQuery{EstimateField: estimate, EpicField: epic}
	var issues []json.RawMessage
	for start := 0; len(issues) < 500; {
		v := url.Values{"startAt": {itoa(start)}, "maxResults": {"500"}, "fields": {strings.Join(q.fields(), ",")}}
		req, _ := http.NewRequest(http.MethodGet, u+"/rest/agile/1.0/board/1/issue?"+v.Encode(), nil)
		if flavor == fakejira.FlavorCloud {
			req.SetBasicAuth(fakejira.Email, fakejira.Token)
		} else {
			req.Header.Set("Authorization", "Bearer "+fakejira.Token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p struct {
			Issues []json.RawMessage `json:"issues"`
		}
		if err := json.Unmarshal(body, &p); err != nil || len(p.Issues) == 0 {
			b.Fatalf("page at %d: %v (%d bytes)", start, err, len(body))
		}
		issues = append(issues, p.Issues...)
		start += len(p.Issues)
	}
	_ = s
	page, _ := json.Marshal(map[string]any{"expand": "schema,names", "startAt": 0, "maxResults": 500, "total": 520, "issues": issues[:500]})
	return page, estimate, epic
}

func itoa(n int) string { return jsonInt(n) }

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// BenchmarkDecodeBoardPage500 decodes a 500-issue board page (list fields
// plus epic, sprint and estimate).
func BenchmarkDecodeBoardPage500(b *testing.B) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		data, est, epic := boardPage500(b, flavor)
		b.Run(flavor, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				p, err := decodeAgilePage(data, Cursor{}, est, epic)
				if err != nil || len(p.Issues) != 500 {
					b.Fatalf("%d issues, %v", len(p.Issues), err)
				}
			}
		})
	}
}

// BenchmarkOpenBoard opens a scrum board the way the board view does
// (configuration and the first page of issues at once) against fakejira on
// loopback, and reports the requests each open costs.
//
// The latency50ms cases add 50 ms to every answer: an open that took two
// round trips would cost 100 ms; sent together it costs one.
func BenchmarkOpenBoard(b *testing.B) {
	for _, tc := range []struct {
		flavor  string
		latency time.Duration
	}{{fakejira.FlavorCloud, 0}, {fakejira.FlavorDataCenter, 0}, {fakejira.FlavorCloud, 50 * time.Millisecond}} {
		name := tc.flavor
		if tc.latency > 0 {
			name += "/latency" + tc.latency.String()
		}
		flavor := tc.flavor
		b.Run(name, func(b *testing.B) {
			s, u, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 3})
			if err != nil {
				b.Fatal(err)
			}
			defer stop()
			s.SetFaults(fakejira.Faults{Latency: tc.latency})
			cred := Credential{Kind: AuthBasic, User: fakejira.Email, Token: fakejira.Token}
			f := FlavorCloud
			if flavor == fakejira.FlavorDataCenter {
				cred, f = Credential{Kind: AuthBearer, Token: fakejira.Token}, FlavorDataCenter
			}
			c, err := New(u, cred, WithFlavor(f), WithLimits(Limits{ReadRPS: 1e9, WriteRPS: 1e9, MaxInFlight: 100, IssueWritesPer2s: 1 << 20, IssueWritesPer30s: 1 << 20}))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			s.ResetRequests()
			n := 0
			for b.Loop() {
				if _, _, err := openBoard(ctx, c, 1); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(len(s.Requests()))/float64(n), "requests/open")
		})
	}
}
