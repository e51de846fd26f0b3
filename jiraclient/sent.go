package jiraclient

import (
	"context"
	"net/http/httptrace"
)

// Sent returns a context whose calls run f each time one of their requests
// has been written to the connection (every try of a retried call): the
// moment a caller may start other work without delaying the request. Jira's
// answer has not arrived yet; f must not block (it runs on the connection's
// writer).
func Sent(ctx context.Context, f func()) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { f() },
	})
}
