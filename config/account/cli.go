package account

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jiffy-tui/jiffy/config"
)

// maxTokenInput bounds what --with-token reads: tokens are a few hundred
// bytes, and a mistaken `< bigfile` should not be read whole.
const maxTokenInput = 16 << 10

// ReadToken reads a token from r (standard input for --with-token): the
// first line, trimmed. More than one non-empty line is refused, since that
// is a file that is not a token.
func ReadToken(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("no token on standard input: pipe it in, e.g. jiffy login --url URL --with-token < token.txt")
	}
	sc := bufio.NewScanner(io.LimitReader(r, maxTokenInput))
	sc.Buffer(make([]byte, 0, 4096), maxTokenInput)
	var tok string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if tok != "" {
			return "", errors.New("standard input has more than one line: --with-token expects only the token")
		}
		tok = line
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("reading the token from standard input: %w", err)
	}
	if tok == "" {
		return "", errors.New("no token on standard input: pipe it in, e.g. jiffy login --url URL --with-token < token.txt")
	}
	return tok, nil
}

// LoginWithToken is `jiffy login --url U [--email E] --with-token < token`:
// it reads the token from stdin, verifies it with Jira and saves the login
// (token in the keyring; the profile becomes the default unless KeepDefault
// is given and there is one). It refuses up front while
// JIRA_* variables are set, before reading anything.
func LoginWithToken(ctx context.Context, stdin io.Reader, url, email string, cfg *config.Config, cfgPath string, store config.Store, opts ...Option) (*Result, Saved, error) {
	o := buildOptions(opts)
	if vars := EnvVarsSet(o.getenv); len(vars) > 0 {
		return nil, Saved{}, &EnvOverrideError{Vars: vars}
	}
	token, err := ReadToken(stdin)
	if err != nil {
		return nil, Saved{}, err
	}
	res, err := Verify(ctx, VerifyInput{URL: url, Email: email, Token: token, HTTPClient: o.hc, GatewayBase: o.gateway})
	if err != nil {
		var ve *VerifyError
		if errors.As(err, &ve) && ve.Field == FieldEmail && strings.TrimSpace(email) == "" {
			return nil, Saved{}, &VerifyError{Field: FieldEmail, Cause: ve.Cause, Fix: "pass it with --email you@example.com", Err: ve.Err}
		}
		return nil, Saved{}, err
	}
	saved, err := Save(ctx, cfg, cfgPath, store, res, token, opts...)
	if err != nil {
		return res, Saved{}, err
	}
	return res, saved, nil
}
