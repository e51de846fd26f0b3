package jiraclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// AttachmentSettings are the site's attachment settings.
type AttachmentSettings struct {
	Enabled     bool
	UploadLimit int64 // bytes per file
}

// AttachmentSettings asks whether attachments are on and how large a file
// may be, so an upload that cannot succeed is refused before it starts.
//
// Jira REST: GET /rest/api/{3|2}/attachment/meta
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-attachment-meta-get
func (c *Client) AttachmentSettings(ctx context.Context) (*AttachmentSettings, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	var w struct {
		Enabled     bool    `json:"enabled"`
		UploadLimit flexInt `json:"uploadLimit"`
	}
	if err := c.call(ctx, request{Method: http.MethodGet, Path: c.api("attachment", "meta")}, &w); err != nil {
		return nil, err
	}
	return &AttachmentSettings{Enabled: w.Enabled, UploadLimit: int64(w.UploadLimit)}, nil
}

// Attachment returns one attachment's metadata: name, size, MIME type,
// author and creation time.
//
// Jira REST: GET /rest/api/{3|2}/attachment/{id}
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-attachment-id-get
func (c *Client) Attachment(ctx context.Context, id string) (*Attachment, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	p := c.api("attachment", id)
	if isBlank(id) {
		return nil, invalidInput(http.MethodGet, p, "no attachment given", "choose an attachment first")
	}
	var raw json.RawMessage
	if err := c.call(ctx, request{Method: http.MethodGet, Path: p}, &raw); err != nil {
		return nil, err
	}
	var w wireAttachment
	if err := unmarshalLoose(raw, &w); err != nil {
		return nil, decodeError(http.MethodGet, p, err)
	}
	a := w.attachment()
	return &a, nil
}

// DeleteAttachment removes an attachment.
//
// Jira REST: DELETE /rest/api/{3|2}/attachment/{id}
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-attachment-id-delete
func (c *Client) DeleteAttachment(ctx context.Context, id string) error {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return err
	}
	p := c.api("attachment", id)
	if isBlank(id) {
		return invalidInput(http.MethodDelete, p, "no attachment given", "choose an attachment first")
	}
	return c.call(ctx, request{Method: http.MethodDelete, Path: p}, nil)
}

// TransferOptions bound and report an upload or a download.
type TransferOptions struct {
	// Limit is the most bytes a download may bring (0 = 1 GiB); a larger
	// file fails with KindTooLarge before or while it streams, and what was
	// written so far should be discarded by the caller.
	Limit int64
	// Progress, when set, is called as bytes move.
	Progress ProgressFunc
}

// DefaultDownloadLimit bounds a download when TransferOptions.Limit is 0.
const DefaultDownloadLimit = 1 << 30

// contentPath is where an attachment's bytes are served: Cloud's content
// resource (which answers 303 to the media service), Data Center's
// /secure/attachment/{id}/{filename} servlet.
func (c *Client) contentPath(a Attachment) string {
	if c.Flavor() == FlavorCloud {
		return c.api("attachment", "content", a.ID)
	}
	name := a.Filename
	if name == "" {
		name = "file"
	}
	return "/secure/attachment/" + url.PathEscape(a.ID) + "/" + url.PathEscape(name)
}

// DownloadAttachment streams an attachment's bytes to w and returns how
// many were written. On Cloud the content resource answers 303 with the
// media service's URL (another host, a signed link): the client follows it
// and the transport chain sends the credential only to the site's own
// origin, never to the media host. Data Center serves the file itself.
// A file over opt.Limit fails with KindTooLarge.
//
// Jira REST: GET /rest/api/3/attachment/content/{id}
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-attachment-content-id-get
// (Data Center: GET {site}/secure/attachment/{id}/{filename}, the
// attachment's "content" link).
func (c *Client) DownloadAttachment(ctx context.Context, a Attachment, w io.Writer, opt TransferOptions) (int64, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return 0, err
	}
	p := c.contentPath(a)
	if isBlank(a.ID) {
		return 0, invalidInput(http.MethodGet, p, "no attachment given", "choose an attachment first")
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultDownloadLimit
	}
	tooLarge := func(size int64) error {
		e := c.errCtx(http.MethodGet, p).newError(KindTooLarge)
		e.what = fmt.Sprintf("the attachment %s is %s, over the %s jiffy downloads", a.Filename, FormatSize(size), FormatSize(limit))
		e.hint = "open it in the browser instead"
		return e
	}
	if a.Size > limit {
		return 0, tooLarge(a.Size)
	}
	resp, idle, done, err := c.send(ctx, transferRequest{Method: http.MethodGet, Path: p, Header: http.Header{"Accept": {"*/*"}}})
	if err != nil {
		return 0, err
	}
	defer done()
	defer resp.Body.Close()
	total := resp.ContentLength
	if total > limit {
		return 0, tooLarge(total)
	}
	if total < 0 && a.Size > 0 {
		total = a.Size
	}
	pr := &progressReader{r: io.LimitReader(resp.Body, limit+1), total: total, fn: opt.Progress, idle: idle}
	n, err := copyOut(w, pr)
	if err != nil {
		return n, c.transferError(ctx, http.MethodGet, p, idle, err)
	}
	if n > limit {
		return n, tooLarge(n)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, c.transferError(ctx, http.MethodGet, p, idle, io.ErrUnexpectedEOF)
	}
	return n, nil
}

// copyOut copies like io.Copy but marks the writer's failures, so a full
// disk is not reported as a network error.
func copyOut(w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			m, werr := w.Write(buf[:k])
			n += int64(m)
			if werr == nil && m < k {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return n, writeError{werr}
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// UploadAttachment attaches one file, read from r, to an issue. size is
// the file's length in bytes (-1 when unknown: the body is then sent
// chunked). The body is multipart/form-data with the file in the part
// named "file" and the header X-Atlassian-Token: no-check that Jira's XSRF
// check requires. When r is an io.Seeker the upload can be repeated, so a
// 429 or 503 is retried like any call; otherwise it is sent once. A file
// over the site's limit fails with KindTooLarge carrying Jira's words.
//
// Jira REST: POST /rest/api/{3|2}/issue/{key}/attachments
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-issue-issueidorkey-attachments-post
func (c *Client) UploadAttachment(ctx context.Context, key, filename string, r io.Reader, size int64, opt TransferOptions) ([]Attachment, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	p := c.api("issue", key, "attachments")
	if err := checkKey(http.MethodPost, p, key); err != nil {
		return nil, err
	}
	name := path.Base(strings.ReplaceAll(filename, "\\", "/"))
	if isBlank(name) || name == "." || name == "/" {
		return nil, invalidInput(http.MethodPost, p, "the file has no name", "give the file a name")
	}
	if r == nil {
		return nil, invalidInput(http.MethodPost, p, "no file given", "choose a file to attach")
	}
	head, tail, ctype := multipartFrame(name)
	start := int64(-1)
	if sk, ok := r.(io.Seeker); ok {
		if pos, err := sk.Seek(0, io.SeekCurrent); err == nil {
			start = pos
		}
	}
	req := transferRequest{Method: http.MethodPost, Path: p, IssueKey: key, Length: -1,
		Header: http.Header{"Content-Type": {ctype}, "X-Atlassian-Token": {"no-check"}, "Accept": {"application/json"}},
		Body: func(idle *idleTimer) io.Reader {
			pr := &progressReader{r: r, total: size, fn: opt.Progress, idle: idle}
			if size >= 0 {
				pr.r = io.LimitReader(r, size)
			}
			return io.MultiReader(bytes.NewReader(head), pr, bytes.NewReader(tail))
		}}
	if size >= 0 {
		req.Length = int64(len(head)) + size + int64(len(tail))
	}
	if start >= 0 {
		sk := r.(io.Seeker)
		req.Rewind = func() error {
			_, err := sk.Seek(start, io.SeekStart)
			return err
		}
	}
	resp, idle, done, err := c.send(ctx, req)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Kind == KindTooLarge {
			e.what = "Jira refused the file " + name + ": it is over the site's attachment size limit, or the issue has too many attachments"
			if len(e.Messages) > 0 {
				e.what = "Jira refused the file " + name + ": " + e.Messages[0]
			}
			e.hint = "attach a smaller file (compress it or split it), or ask a Jira admin about the attachment limit"
		}
		return nil, err
	}
	defer done()
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return nil, c.transferError(ctx, http.MethodPost, p, idle, err)
	}
	var ws []wireAttachment
	if err := unmarshalLoose(data, &ws); err != nil {
		return nil, decodeError(http.MethodPost, p, err)
	}
	out := make([]Attachment, len(ws))
	for i := range ws {
		out[i] = ws[i].attachment()
	}
	return out, nil
}

// multipartFrame is the multipart envelope around one file: the bytes
// before it, after it, and the Content-Type with the boundary. Built ahead
// so the body's length is known without buffering the file.
func multipartFrame(filename string) (head, tail []byte, contentType string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+escapeQuotes(filename)+`"`)
	h.Set("Content-Type", "application/octet-stream")
	_, _ = mw.CreatePart(h)
	head = append([]byte(nil), b.Bytes()...)
	b.Reset()
	_ = mw.Close()
	tail = append([]byte(nil), b.Bytes()...)
	return head, tail, mw.FormDataContentType()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// FormatSize writes a byte count for people: 512 B, 1.5 KiB, 12 MiB.
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

func (w *wireAttachment) attachment() Attachment {
	a := Attachment{ID: string(w.ID), Filename: line(w.Filename), Size: int64(w.Size), MimeType: w.MimeType, Created: w.Created.Time}
	if w.Author != nil {
		a.Author = line(firstNonEmpty(w.Author.DisplayName, w.Author.Name))
		u := *w.Author
		a.AuthorUser = &u
	}
	return a
}
