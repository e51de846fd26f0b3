package fakejira

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// captureField is the real site's custom field of each type, by the name
// the fake gives its own field of that type.
var captureField = map[string]string{
	"Region": "customfield_10045", "Platforms": "customfield_10046", "Severity": "customfield_10047",
	"Reviewer": "customfield_10051", "Approvers": "customfield_10055", "Owning group": "customfield_10053",
	"Tags": "customfield_10042", "Customer impact": "customfield_10043", "Target start": "customfield_10040",
	"Deployed at": "customfield_10041", "Acceptance criteria": "customfield_10048", "Customer": "customfield_10049",
	"Design doc": "customfield_10050", "Team": "customfield_10001",
}

// TestShapeCustomFieldMeta compares each custom field's editmeta entry
// with the real site's field of the same type (schema, operations,
// allowedValues with children, autoCompleteUrl).
func TestShapeCustomFieldMeta(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		capture := loadFixture(t, "fields/cloud-editmeta.json").(map[string]any)["fields"].(map[string]any)
		key := f.s.Keys()[0]
		ours := f.must(200, "GET", f.api("/issue/"+key+"/editmeta"), "").obj(t)["fields"].(map[string]any)
		ids := f.s.FieldIDs()
		for name, cid := range captureField {
			want := capture[cid].(map[string]any)
			got, ok := ours[ids[name]].(map[string]any)
			if !ok {
				t.Errorf("%s (%s) not in editmeta", name, ids[name])
				continue
			}
			var diffs []string
			shapeDiff("$", want, got, skipper("$.schema.customId"), &diffs)
			if len(diffs) > 0 {
				t.Errorf("%s differs from the capture's %s:\n  %s", name, cid, strings.Join(diffs, "\n  "))
			}
			ws, gs := want["schema"].(map[string]any), got["schema"].(map[string]any)
			if ws["type"] != gs["type"] || ws["items"] != gs["items"] || ws["custom"] != gs["custom"] {
				t.Errorf("%s schema %v, capture %v", name, gs, ws)
			}
			if strings.Join(toStrings(want["operations"]), ",") != strings.Join(toStrings(got["operations"]), ",") {
				t.Errorf("%s operations %v, capture %v", name, got["operations"], want["operations"])
			}
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestShapeCustomFieldValues compares the values on the demo's first
// issue with the real site's values of the same types.
func TestShapeCustomFieldValues(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		capture := loadFixture(t, "fields/cloud-issue-values.json").(map[string]any)["fields"].(map[string]any)
		key := f.s.Keys()[0]
		ours := f.must(200, "GET", f.api("/issue/"+key+"?fields=*all"), "").obj(t)["fields"].(map[string]any)
		ids := f.s.FieldIDs()
		for name, cid := range captureField {
			want, ok := capture[cid]
			if !ok {
				continue
			}
			got := ours[ids[name]]
			if got == nil {
				t.Errorf("%s has no value on %s", name, key)
				continue
			}
			var diffs []string
			var skip func(string) bool
			if !f.cloud() {
				skip = dcUsers // Data Center users carry name/key instead
			}
			shapeDiff("$", want, got, skip, &diffs)
			if len(diffs) > 0 {
				t.Errorf("%s differs from the capture's %s:\n  %s", name, cid, strings.Join(diffs, "\n  "))
			}
		}
		if f.cloud() {
			if s, ok := ours[ids["Acceptance criteria"]].(map[string]any); !ok || s["type"] != "doc" {
				t.Errorf("Cloud text area is not ADF: %v", ours[ids["Acceptance criteria"]])
			}
		} else if _, ok := ours[ids["Acceptance criteria"]].(string); !ok {
			t.Errorf("DC text area is not a string: %v", ours[ids["Acceptance criteria"]])
		}
	})
}

var dcUsers = skipper("$.accountId", "$.accountType", "$[].accountId", "$[].accountType", "$.**.accountId", "$.**.accountType")

func TestShapeActivity(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[0]
		watchers := "fields/spec-watchers.GET.200.json"
		if !f.cloud() {
			watchers = "fields/jira-ruby-watchers.json"
		}
		assertShape(t, watchers, f.must(200, "GET", f.api("/issue/"+key+"/watchers"), "").json(t), nil)
		var wl string
		for _, k := range f.s.Keys() {
			if a, _ := f.s.Activity(k); len(a.Worklogs) > 0 {
				wl = k
				break
			}
		}
		// The spec's example carries a visibility restriction; the fake's
		// worklogs are public.
		skipWL := skipper("$.worklogs[].visibility")
		if !f.cloud() {
			// v2: users by name, the comment as a wiki string.
			skipWL = skipper("$.worklogs[].visibility", "$.worklogs[].author.accountId", "$.worklogs[].updateAuthor.accountId", "$.worklogs[].comment")
		}
		assertShape(t, "fields/spec-worklog.GET.200.json", f.must(200, "GET", f.api("/issue/"+wl+"/worklog"), "").json(t), skipWL)
		assertShape(t, "fields/spec-issueLinkType.GET.200.json", f.must(200, "GET", f.api("/issueLinkType"), "").json(t), nil)
		act, _ := f.s.Activity(key)
		// The spec's user has accountType/key/name on Cloud; the fake's
		// users follow the captures of each flavour (see model.go).
		skipUser := skipper("$.author.**", "$[].author.**")
		one := f.must(200, "GET", f.api("/attachment/"+act.Attachments[1].ID), "").json(t)
		if f.cloud() {
			assertShape(t, "fields/spec-attachment.GET.200.json", one, skipUser)
		}
		assertShape(t, "fields/spec-attachment-meta.GET.200.json", f.must(200, "GET", f.api("/attachment/meta"), "").json(t), nil)
		up := upload(t, f, key, "notes.txt", []byte("hello"), true)
		if up.status != 200 {
			t.Fatalf("upload: %d %s", up.status, up.body)
		}
		// The spec example's "created" is epoch milliseconds; real
		// answers (and the attachment field) use Jira's timestamp.
		assertShape(t, "fields/spec-attachments.POST.200.json", up.json(t), skipper("$[].author.**", "$[].created", "$[].thumbnail"))
	})
}

// upload posts a multipart body with one part named "file".
func upload(t *testing.T, f *fake, key, name string, data []byte, xsrf bool) resp {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	p, _ := mw.CreateFormFile("file", name)
	p.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", f.url+f.api("/issue/"+key+"/attachments"), &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if xsrf {
		req.Header.Set("X-Atlassian-Token", "no-check")
	}
	f.authorize(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: body}
}

func TestAttachmentUploadRules(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[2]
		before, _ := f.s.Activity(key)
		r := upload(t, f, key, "a.txt", []byte("x"), false)
		if r.status != http.StatusForbidden || string(r.body) != "XSRF check failed" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Errorf("without the XSRF header: %d %q", r.status, r.body)
		}
		if a, _ := f.s.Activity(key); len(a.Attachments) != len(before.Attachments) {
			t.Errorf("a refused upload was stored: %+v", a.Attachments)
		}
		f.s.SetAttachmentLimit(10)
		r = upload(t, f, key, "big.txt", bytes.Repeat([]byte("x"), 11), true)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("over the limit: %d %s", r.status, r.body)
		}
		if msgs := errorMessages(t, r); len(msgs) != 1 || msgs[0] != "The field file exceeds its maximum permitted size of 10 bytes." {
			t.Errorf("413 body: %s", r.body)
		}
		r = upload(t, f, key, "ok.txt", []byte("0123456789"), true)
		if r.status != 200 {
			t.Fatalf("at the limit: %d %s", r.status, r.body)
		}
		var list []map[string]any
		_ = json.Unmarshal(r.body, &list)
		if len(list) != 1 || list[0]["mimeType"] != "text/plain" || list[0]["size"] != float64(10) {
			t.Errorf("upload answer: %s", r.body)
		}
		// JSON is not an upload.
		req, _ := http.NewRequest("POST", f.url+f.api("/issue/"+key+"/attachments"), strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Atlassian-Token", "no-check")
		f.authorize(req)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("JSON to attachments: %d", res.StatusCode)
		}
	})
}

func TestAttachmentDownloadPaths(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[0]
		act, _ := f.s.Activity(key)
		a := act.Attachments[0]
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(u string, auth bool) *http.Response {
			req, _ := http.NewRequest("GET", u, nil)
			if auth {
				f.authorize(req)
			}
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		read := func(res *http.Response) string {
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}
		if f.cloud() {
			res := get(f.url+f.api("/attachment/content/"+a.ID), true)
			res.Body.Close()
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/_media/file/") || !strings.Contains(loc, "token=") {
				t.Fatalf("content: %d %q", res.StatusCode, loc)
			}
			// The site's own stand-in for the media host shares the site's
			// origin, where a client sends its credential by design; the
			// separate host (MediaHandler) refuses one.
			if res := get(loc, true); res.StatusCode != 200 || read(res) != string(a.Data) {
				t.Errorf("same-origin media with the Jira credential: %d", res.StatusCode)
			}
			media := httptest.NewServer(f.s.MediaHandler())
			defer media.Close()
			far := media.URL + loc[strings.Index(loc, "/_media/")+len("/_media"):]
			if res := get(far, true); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("media host with the Jira credential: %d", res.StatusCode)
			}
			if res := get(far, false); res.StatusCode != 200 || read(res) != string(a.Data) {
				t.Errorf("media host without credential: %d", res.StatusCode)
			}
			if res := get(loc, false); res.StatusCode != 200 || read(res) != string(a.Data) {
				t.Errorf("media without credential: %d", res.StatusCode)
			}
			if res := get(f.url+f.api("/attachment/content/"+a.ID)+"?redirect=false", true); res.StatusCode != 200 || read(res) != string(a.Data) {
				t.Errorf("redirect=false: %d", res.StatusCode)
			}
			if res := get(strings.Replace(loc, "token=", "token=x", 1), false); res.StatusCode != 404 {
				t.Errorf("a wrong media token: %d", res.StatusCode)
			}
			return
		}
		u := f.url + "/secure/attachment/" + a.ID + "/" + a.Filename
		if res := get(u, false); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("servlet without credential: %d", res.StatusCode)
		}
		if res := get(u, true); res.StatusCode != 200 || read(res) != string(a.Data) {
			t.Errorf("servlet: %d", res.StatusCode)
		}
	})
}

// TestRefusedEditChangesNothing: an edit with one bad custom value stores
// none of its values (the edit runs on a copy).
func TestRefusedEditChangesNothing(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[0]
		ids := f.s.FieldIDs()
		before, _ := f.s.CustomValues(key)
		body := `{"fields":{"` + ids["Customer"] + `":"Changed","` + ids["Severity"] + `":{"value":"S9"}},"update":{"` + ids["Tags"] + `":[{"add":"new-tag"}]}}`
		r := f.do("PUT", f.api("/issue/"+key), body)
		if r.status != 400 || !strings.Contains(fieldErrors(t, r)[ids["Severity"]], "S9") {
			t.Fatalf("bad option: %d %s", r.status, r.body)
		}
		after, _ := f.s.CustomValues(key)
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s changed from %q to %q by a refused edit", k, v, after[k])
			}
		}
	})
}

func TestWorklogErrors(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[1]
		r := f.do("POST", f.api("/issue/"+key+"/worklog"), `{"timeSpent":"an hour"}`)
		if r.status != 400 || fieldErrors(t, r)["timeLogged"] != "Invalid time duration entered." {
			t.Errorf("bad duration: %d %s", r.status, r.body)
		}
		r = f.do("POST", f.api("/issue/"+key+"/worklog"), `{"timeSpent":"1h","started":"2026-03-02T09:30:00Z"}`)
		if r.status != 400 || !strings.Contains(fieldErrors(t, r)["started"], "2026-03-02T09:30:00Z") {
			t.Errorf("RFC 3339 start refused: %d %s", r.status, r.body)
		}
		if a, _ := f.s.Activity(key); len(a.Worklogs) != 0 && a.Worklogs[len(a.Worklogs)-1].Author == "ada" {
			t.Errorf("a refused worklog was stored: %+v", a.Worklogs)
		}
	})
}
