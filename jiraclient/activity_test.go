package jiraclient

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

func TestWatchers(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			_, keys := firstProject(t, fs.srv)
			key := keys[3]
			before, _ := fs.srv.Activity(key)
			w, err := fs.c.Watchers(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if w.Count != len(before.Watchers) || len(w.Users) != w.Count {
				t.Fatalf("watchers %+v, fake has %v", w, before.Watchers)
			}
			was := w.Watching
			if was {
				if err := fs.c.Unwatch(ctx, key); err != nil {
					t.Fatal(err)
				}
			}
			v := fl.f.APIVersion()
			got := requestsDuring(t, fs.srv, func() {
				if err := fs.c.Watch(ctx, key); err != nil {
					t.Fatal(err)
				}
			})
			if was {
				wantRequests(t, "Watch (self known)", got, "POST /rest/api/"+v+"/issue/"+key+"/watchers")
			} else {
				wantRequests(t, "Watch", got, "GET /rest/api/"+v+"/myself", "POST /rest/api/"+v+"/issue/"+key+"/watchers")
			}
			me := fs.srv.Me()
			wantBody := `"` + me.Name + `"`
			if fl.f == FlavorCloud {
				wantBody = `"` + me.AccountID + `"`
			}
			if b := lastBody(t, fs.srv, "POST", "/watchers"); b != wantBody {
				t.Errorf("watch body %s, want %s", b, wantBody)
			}
			after, _ := fs.srv.Activity(key)
			if !containsStr(after.Watchers, "ada") {
				t.Errorf("ada not watching: %v", after.Watchers)
			}
			w, _ = fs.c.Watchers(ctx, key)
			if !w.Watching {
				t.Errorf("Watching false after Watch: %+v", w)
			}
			got = requestsDuring(t, fs.srv, func() {
				if err := fs.c.Unwatch(ctx, key); err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "Unwatch", got, "DELETE /rest/api/"+v+"/issue/"+key+"/watchers")
			q := fs.srv.Requests()[0].RawQuery
			if fl.f == FlavorCloud && q != "accountId="+url.QueryEscape(me.AccountID) || fl.f == FlavorDataCenter && q != "username=ada" {
				t.Errorf("unwatch query %q", q)
			}
			after, _ = fs.srv.Activity(key)
			if containsStr(after.Watchers, "ada") {
				t.Errorf("ada still watching: %v", after.Watchers)
			}
		})
	}
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestWorklogs(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			_, keys := firstProject(t, fs.srv)
			key := keys[4]
			if err := fs.c.SetEstimates(ctx, key, "1d", "6h"); err != nil {
				t.Fatal(err)
			}
			tt, err := fs.c.TimeTracking(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if tt.OriginalSeconds != 8*3600 || tt.RemainingSeconds != 6*3600 || tt.Original != "1d" || tt.Remaining != "6h" {
				t.Errorf("estimates: %+v", tt)
			}
			before, _ := fs.srv.Activity(key)
			started := time.Date(2026, 3, 2, 8, 15, 0, 0, time.FixedZone("", 3600))
			wl, err := fs.c.AddWorklog(ctx, key, WorklogInput{TimeSpent: "1h  30m", Started: started, Comment: "Paired on the **fix**"})
			if err != nil {
				t.Fatal(err)
			}
			if wl.TimeSpentSeconds != 5400 || wl.TimeSpent != "1h 30m" || !wl.Started.Equal(started) || !strings.Contains(wl.Comment, "**fix**") || wl.Author.DisplayName != "Ada Lovelace" {
				t.Errorf("worklog: %+v", wl)
			}
			var body map[string]json.RawMessage
			_ = json.Unmarshal([]byte(lastBody(t, fs.srv, "POST", "/worklog")), &body)
			if string(body["started"]) != `"2026-03-02T08:15:00.000+0100"` || string(body["timeSpent"]) != `"1h 30m"` {
				t.Errorf("worklog body: %s", lastBody(t, fs.srv, "POST", "/worklog"))
			}
			if c := string(body["comment"]); fl.f == FlavorCloud && !strings.HasPrefix(c, `{"type":"doc"`) || fl.f == FlavorDataCenter && c != `"Paired on the *fix*"` {
				t.Errorf("comment sent as %s", c)
			}
			after, _ := fs.srv.Activity(key)
			if len(after.Worklogs) != len(before.Worklogs)+1 || after.SpentSeconds != before.SpentSeconds+5400 || after.RemainingSeconds != 6*3600-5400 {
				t.Errorf("fake after logging: %+v", after)
			}
			last := after.Worklogs[len(after.Worklogs)-1]
			if last.Author != "ada" || last.Seconds != 5400 || last.CommentText != "Paired on the fix" {
				t.Errorf("fake worklog: %+v", last)
			}
			page, err := fs.c.Worklogs(ctx, key, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !page.Last || page.Total != len(after.Worklogs) || page.Worklogs[len(page.Worklogs)-1].ID != wl.ID {
				t.Errorf("worklog page: %+v", page)
			}
			// Paged.
			if len(after.Worklogs) > 1 {
				p1, _ := fs.c.Worklogs(ctx, key, 0, 1)
				p2, _ := fs.c.Worklogs(ctx, key, 1, 1)
				if p1.Last || len(p1.Worklogs) != 1 || len(p2.Worklogs) != 1 || p1.Worklogs[0].ID == p2.Worklogs[0].ID {
					t.Errorf("pages: %+v / %+v", p1, p2)
				}
			}
			// Estimate adjustments go in the query.
			if _, err := fs.c.AddWorklog(ctx, key, WorklogInput{TimeSpent: "30m", Adjust: EstimateAdjust{Mode: "new", Value: "2h"}}); err != nil {
				t.Fatal(err)
			}
			if r := fs.srv.Requests(); !strings.Contains(r[len(r)-1].RawQuery, "adjustEstimate=new") || !strings.Contains(r[len(r)-1].RawQuery, "newEstimate=2h") {
				t.Errorf("adjust query: %q", r[len(r)-1].RawQuery)
			}
			if a, _ := fs.srv.Activity(key); a.RemainingSeconds != 7200 {
				t.Errorf("remaining after new estimate: %d", a.RemainingSeconds)
			}
			// A duration Jira cannot read is refused before any request.
			got := requestsDuring(t, fs.srv, func() {
				_, err = fs.c.AddWorklog(ctx, key, WorklogInput{TimeSpent: "an hour"})
			})
			if KindOf(err) != KindInvalid || len(got) != 0 {
				t.Errorf("bad duration: %v, requests %v", err, got)
			}
		})
	}
}

func TestLinksAndSubtasks(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			_, keys := firstProject(t, fs.srv)
			a, b := keys[5], keys[6]
			types, err := fs.c.LinkTypes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var blocks LinkType
			for _, lt := range types {
				if lt.Name == "Blocks" {
					blocks = lt
				}
			}
			if len(types) != 4 || blocks.Outward != "blocks" || blocks.Inward != "is blocked by" {
				t.Fatalf("link types: %+v", types)
			}
			if err := fs.c.LinkIssues(ctx, a, blocks, b); err != nil {
				t.Fatal(err)
			}
			if body := lastBody(t, fs.srv, "POST", "/issueLink"); body != `{"inwardIssue":{"key":"`+a+`"},"outwardIssue":{"key":"`+b+`"},"type":{"id":"`+blocks.ID+`"}}` {
				t.Errorf("link body %s", body)
			}
			find := func(key, other string) (fakejira.LinkSnapshot, bool) {
				act, _ := fs.srv.Activity(key)
				for _, l := range act.Links {
					if l.Other == other && l.Type == "Blocks" {
						return l, true
					}
				}
				return fakejira.LinkSnapshot{}, false
			}
			la, okA := find(a, b)
			lb, okB := find(b, a)
			if !okA || !okB || la.Relation != "blocks" || lb.Relation != "is blocked by" || la.ID != lb.ID {
				t.Fatalf("fake links: %+v %+v", la, lb)
			}
			is, err := fs.c.GetIssue(ctx, a, GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var id string
			for _, l := range is.Links {
				if l.Issue.Key == b && l.Relation == "blocks" {
					id = l.ID
				}
			}
			if id != la.ID {
				t.Fatalf("issue links %+v, want id %s", is.Links, la.ID)
			}
			if err := fs.c.DeleteLink(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, ok := find(a, b); ok {
				t.Error("link still there")
			}
			if _, ok := find(b, a); ok {
				t.Error("link still there on the other side")
			}
			if err := fs.c.DeleteLink(ctx, id); KindOf(err) != KindNotFound {
				t.Errorf("deleting again: %v", err)
			}
			if err := fs.c.LinkIssues(ctx, a, LinkType{Name: "Nope"}, b); KindOf(err) != KindNotFound {
				t.Errorf("unknown type: %v", err)
			}
			ref, err := fs.c.CreateSubtask(ctx, a, IssueCreate{Summary: "Write the migration"})
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := fs.srv.Issue(ref.Key)
			if snap.Parent != a || snap.Type != "Sub-task" || !strings.HasPrefix(ref.Key, strings.Split(a, "-")[0]+"-") {
				t.Errorf("sub-task %s: %+v", ref.Key, snap)
			}
		})
	}
}

// TestAttachments uploads a file, reads its metadata, downloads it byte
// for byte (on Cloud through the media host, which must never see the
// Jira credential) and deletes it.
func TestAttachments(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			var mediaAuth, mediaHits atomic.Int32
			if fl.f == FlavorCloud {
				h := fs.srv.MediaHandler()
				media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mediaHits.Add(1)
					if r.Header.Get("Authorization") != "" {
						mediaAuth.Add(1)
					}
					h.ServeHTTP(w, r)
				}))
				t.Cleanup(media.Close)
				fs.srv.SetMediaURL(media.URL)
			}
			_, keys := firstProject(t, fs.srv)
			key := keys[7]
			data := make([]byte, 200<<10)
			rand.New(rand.NewSource(1)).Read(data)
			var last, calls int64
			up, err := fs.c.UploadAttachment(ctx, key, "/tmp/dir/trace dump.bin", bytes.NewReader(data), int64(len(data)), TransferOptions{
				Progress: func(done, total int64) { last, calls = done, calls+1; _ = total },
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(up) != 1 || up[0].Filename != "trace dump.bin" || up[0].Size != int64(len(data)) || up[0].Author != "Ada Lovelace" {
				t.Fatalf("uploaded %+v", up)
			}
			if last != int64(len(data)) || calls == 0 {
				t.Errorf("progress ended at %d after %d calls", last, calls)
			}
			act, _ := fs.srv.Activity(key)
			stored := act.Attachments[len(act.Attachments)-1]
			if !bytes.Equal(stored.Data, data) || stored.Filename != "trace dump.bin" {
				t.Fatalf("stored %d bytes as %q", len(stored.Data), stored.Filename)
			}
			meta, err := fs.c.Attachment(ctx, up[0].ID)
			if err != nil || meta.Size != int64(len(data)) || meta.Created.IsZero() || meta.AuthorUser == nil {
				t.Fatalf("metadata %+v %v", meta, err)
			}
			var out bytes.Buffer
			var dl int64
			n, err := fs.c.DownloadAttachment(ctx, *meta, &out, TransferOptions{Progress: func(done, _ int64) { dl = done }})
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(data)) || !bytes.Equal(out.Bytes(), data) || dl != n {
				t.Fatalf("downloaded %d bytes (progress %d), equal=%v", n, dl, bytes.Equal(out.Bytes(), data))
			}
			if fl.f == FlavorCloud && (mediaHits.Load() != 1 || mediaAuth.Load() != 0) {
				t.Errorf("media host: %d requests, %d with Authorization", mediaHits.Load(), mediaAuth.Load())
			}
			// A generated attachment downloads too.
			is, _ := fs.c.GetIssue(ctx, keys[0], GetIssueOptions{})
			if len(is.Attachments) == 0 {
				t.Fatal("the demo issue has no attachments")
			}
			out.Reset()
			if _, err := fs.c.DownloadAttachment(ctx, is.Attachments[0], &out, TransferOptions{}); err != nil || !strings.Contains(out.String(), "page token expired") {
				t.Errorf("demo attachment: %q %v", out.String(), err)
			}
			// Over the caller's limit.
			if _, err := fs.c.DownloadAttachment(ctx, Attachment{ID: meta.ID, Filename: meta.Filename}, io.Discard, TransferOptions{Limit: 1000}); KindOf(err) != KindTooLarge {
				t.Errorf("download over the limit: %v", err)
			}
			if err := fs.c.DeleteAttachment(ctx, up[0].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := fs.c.Attachment(ctx, up[0].ID); KindOf(err) != KindNotFound {
				t.Errorf("after delete: %v", err)
			}
		})
	}
}

func TestUploadTooLarge(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			fs.srv.SetAttachmentLimit(1024)
			_, keys := firstProject(t, fs.srv)
			set, err := fs.c.AttachmentSettings(context.Background())
			if err != nil || set.UploadLimit != 1024 || !set.Enabled {
				t.Errorf("settings %+v %v", set, err)
			}
			_, err = fs.c.UploadAttachment(context.Background(), keys[0], "big.bin", bytes.NewReader(make([]byte, 200<<10)), 200<<10, TransferOptions{})
			var je *Error
			if KindOf(err) != KindTooLarge || !asError(err, &je) || je.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("upload over the limit: %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "big.bin") || !strings.Contains(msg, "exceeds its maximum permitted size of 1024 bytes") {
				t.Errorf("message: %s", msg)
			}
			if !strings.Contains(je.Hint(), "smaller file") {
				t.Errorf("hint: %s", je.Hint())
			}
		})
	}
}

// TestUploadRetries: a 429 is retried when the file can be read again
// (a Seeker) and the retry sends the same bytes; a plain reader is sent
// once and the 429 reported.
func TestUploadRetries(t *testing.T) {
	fl := flavours[0]
	fs := startFieldSite(t, fl, WithRetry(RetryPolicy{MaxRetries: 2, Initial: time.Millisecond, Max: time.Millisecond}))
	_, keys := firstProject(t, fs.srv)
	data := bytes.Repeat([]byte("retry me "), 1000)
	fs.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: http.StatusTooManyRequests}}})
	got := requestsDuring(t, fs.srv, func() {
		if _, err := fs.c.UploadAttachment(context.Background(), keys[1], "a.txt", bytes.NewReader(data), int64(len(data)), TransferOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	if len(got) != 2 {
		t.Errorf("seekable upload after a 429: %v", got)
	}
	act, _ := fs.srv.Activity(keys[1])
	if !bytes.Equal(act.Attachments[len(act.Attachments)-1].Data, data) {
		t.Error("the retried upload stored other bytes")
	}
	fs.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: http.StatusTooManyRequests}}})
	var err error
	got = requestsDuring(t, fs.srv, func() {
		_, err = fs.c.UploadAttachment(context.Background(), keys[1], "b.txt", io.MultiReader(bytes.NewReader(data)), int64(len(data)), TransferOptions{})
	})
	if KindOf(err) != KindRateLimited || len(got) != 1 {
		t.Errorf("plain reader after a 429: %v, requests %v", err, got)
	}
}
