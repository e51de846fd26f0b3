// Package jump finds the issue a person means to start on: an issue key or
// a browse URL on the command line (jiffy ABC-123), or the key carried by
// the current git branch's name (feature/ABC-123-fix-login). It is pure but
// for GitBranch, which reads .git files and is called inside a tea.Cmd.
package jump

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// keyRE is an issue key as Jira writes it: a project key (a capital letter,
// then capitals, digits or underscores; two characters at least, as Jira
// requires) and a number.
var keyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Z0-9_]+-[1-9][0-9]{0,9}$`) })

// ValidKey reports whether s is an issue key.
func ValidKey(s string) bool { return keyRE().MatchString(s) }

// Target is what a command-line argument names: an issue key, and the site
// when it was a browse URL ("" for a bare key).
type Target struct {
	Key  string
	Site string // the URL's site, as written (scheme, host, context path)
	URL  string // the argument, when it was a URL
}

// ParseTarget reads an argument as an issue key (any case: abc-12 is
// ABC-12) or a browse URL (https://acme.atlassian.net/browse/ABC-12, also
// with a Data Center context path, a query or a fragment). ok is false for
// anything else, so a mistyped command stays an unknown command.
func ParseTarget(arg string) (Target, bool) {
	if k := strings.ToUpper(arg); ValidKey(k) {
		return Target{Key: k}, true
	}
	if !strings.HasPrefix(arg, "https://") && !strings.HasPrefix(arg, "http://") {
		return Target{}, false
	}
	u, err := url.Parse(arg)
	if err != nil || u.Host == "" || u.User != nil {
		return Target{}, false
	}
	before, after, found := strings.Cut(u.Path, "/browse/")
	if !found {
		return Target{}, false
	}
	k := strings.ToUpper(strings.Trim(after, "/"))
	if !ValidKey(k) {
		return Target{}, false
	}
	return Target{Key: k, Site: u.Scheme + "://" + u.Host + strings.TrimRight(before, "/"), URL: arg}, true
}

// SameSite reports whether two site URLs name the same Jira: scheme, host
// (any case, default port or none) and context path.
func SameSite(a, b string) bool { return canonSite(a) == canonSite(b) }

func canonSite(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	p := strings.TrimRight(u.Path, "/")
	if i := strings.Index(p, "/browse/"); i >= 0 {
		p = p[:i]
	}
	return strings.ToLower(u.Scheme) + "://" + host + p
}

// upperKeyRE finds a key written in capitals inside a branch name, not in
// the middle of a word.
var upperKeyRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9_]+-[1-9][0-9]{0,9})(?:$|[^0-9])`)
})

// lowerKeyRE finds a key in lower case, but only where a branch name's
// segment starts (abc-123-fix, feature/abc-123): anywhere else words such
// as "fix-login-2" would read as keys.
var lowerKeyRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|/)([a-z][a-z0-9_]+-[1-9][0-9]{0,9})(?:$|[^0-9])`)
})

// FromBranch is the issue key a branch name carries: the first one written
// in capitals anywhere (feature/ABC-123-fix-login), else one in lower case
// at the start of a segment (abc-123-fix-login).
func FromBranch(branch string) (string, bool) {
	if m := upperKeyRE().FindStringSubmatch(branch); m != nil {
		return m[1], true
	}
	if m := lowerKeyRE().FindStringSubmatch(branch); m != nil {
		return strings.ToUpper(m[1]), true
	}
	return "", false
}

// ErrNoRepository: the directory is not inside a git repository.
var ErrNoRepository = errors.New("not inside a git repository")

// ErrDetached: HEAD names a commit, not a branch.
var ErrDetached = errors.New("HEAD is detached (no branch is checked out)")

// GitBranch is the branch checked out in the repository holding dir: it
// reads HEAD itself (no git process), following a .git file (a worktree or
// a submodule: "gitdir: PATH") to the real git directory.
func GitBranch(dir string) (string, error) {
	gitDir, err := findGitDir(dir)
	if err != nil {
		return "", err
	}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return "", fmt.Errorf("reading the branch: %w", err)
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref:")
	if !ok {
		return "", ErrDetached
	}
	ref = strings.TrimSpace(ref)
	if b, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
		return b, nil
	}
	return ref, nil
}

// findGitDir walks up from dir to the first .git: a directory, or a file
// pointing at one.
func findGitDir(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, ".git")
		fi, err := os.Stat(p)
		if err == nil {
			if fi.IsDir() {
				return p, nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return "", fmt.Errorf("reading %s: %w", p, err)
			}
			target, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
			if !ok {
				return "", fmt.Errorf("%s is not a git link (no gitdir: line)", p)
			}
			target = strings.TrimSpace(target)
			if !filepath.IsAbs(target) {
				target = filepath.Join(dir, target)
			}
			return target, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoRepository
		}
		dir = parent
	}
}
