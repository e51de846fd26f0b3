package cache

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// The test binary doubles as a second jiffy: with childEnv set, TestMain
// runs childMain instead of the tests.
const childEnv = "JIFFY_CACHE_TEST_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if os.Getenv(childEnv+"_ROLE") == "FIRSTROWS" {
			os.Exit(firstRowsMain(dir))
		}
		os.Exit(childMain(dir, os.Getenv(childEnv+"_ROLE")))
	}
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

const rounds = 150

// writeAndCheck is what each process does: rounds transactions, each
// replacing its own query's result with fresh issues, and between them a
// read of the other process's query, which must come with all its issues
// (a result is written with its issues in one transaction).
func writeAndCheck(db *DB, me, other string) error {
	for i := range rounds {
		is := []jiraclient.Issue{
			issue(fmt.Sprintf("%s-%d", me, 2*i+1), me+" first "+fmt.Sprint(i), time.Duration(i)*time.Second),
			issue(fmt.Sprintf("%s-%d", me, 2*i+2), me+" second "+fmt.Sprint(i), time.Duration(i)*time.Second),
		}
		if err := db.PutResult(context.Background(), Result{JQL: "project = " + me, Keys: keysOf(is), Total: 2, Fetched: base}, List, is); err != nil {
			return fmt.Errorf("%s round %d: put: %w", me, i, err)
		}
		if err := db.MarkSeen(context.Background(), is[0].Key, is[0].Updated); err != nil {
			return fmt.Errorf("%s round %d: mark: %w", me, i, err)
		}
		r, ok, err := db.Result(context.Background(), "project = "+other)
		if err != nil {
			return fmt.Errorf("%s round %d: read: %w", me, i, err)
		}
		if ok {
			rs, err := db.Issues(context.Background(), r.Keys)
			if err != nil {
				return fmt.Errorf("%s round %d: read issues: %w", me, i, err)
			}
			if len(rs) != len(r.Keys) {
				return fmt.Errorf("%s round %d: %s's result has %d keys but %d issues", me, i, other, len(r.Keys), len(rs))
			}
		}
	}
	return nil
}

// childMain: open at once (racing the parent to build the schema of a new
// file), say "ready", wait for "go", then write and read beside the parent.
func childMain(dir, role string) int {
	db := Open(context.Background(), Options{Dir: dir, Profile: "work"})
	defer db.Close()
	if err := db.Note(); err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	fmt.Println("ready")
	if line, _ := bufio.NewReader(os.Stdin).ReadString('\n'); line != "go\n" {
		fmt.Fprintf(os.Stderr, "no go: %q\n", line)
		return 1
	}
	if err := writeAndCheck(db, role, "PARENT"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("done")
	return 0
}

func TestTwoProcessesShareOneCache(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, childEnv+"_ROLE=CHILD")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Open the same new file while the child does.
	db := Open(context.Background(), Options{Dir: dir, Profile: "work"})
	defer db.Close()
	if err := db.Note(); err != nil {
		t.Fatalf("parent open: %v", err)
	}
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); line != "ready\n" {
		cmd.Wait()
		t.Fatalf("child: %q %v; stderr: %s", line, err, stderr.String())
	}
	io.WriteString(stdin, "go\n")
	perr := writeAndCheck(db, "PARENT", "CHILD")
	rest, _ := io.ReadAll(out)
	werr := cmd.Wait()
	if perr != nil {
		t.Errorf("parent: %v", perr)
	}
	if werr != nil || string(rest) != "done\n" {
		t.Fatalf("child: %v, output %q, stderr: %s", werr, rest, stderr.String())
	}

	// Each sees the other's last writes, in the tables and the index.
	r, ok, err := db.Result(ctx, "project = CHILD")
	if err != nil || !ok || strings.Join(r.Keys, ",") != fmt.Sprintf("CHILD-%d,CHILD-%d", 2*rounds-1, 2*rounds) {
		t.Fatalf("child's result: %+v %v %v", r, ok, err)
	}
	if st, _ := db.Stats(ctx); st.Issues != 4*rounds || st.Results != 2 {
		t.Fatalf("stats %+v; want %d issues, 2 results", st, 4*rounds)
	}
	hits, err := db.Search(ctx, fmt.Sprintf("child second %d", rounds-1), 0)
	if err != nil || len(hits) != 1 || hits[0].Key != fmt.Sprintf("CHILD-%d", 2*rounds) {
		t.Fatalf("search for the child's issue: %v %v", hits, err)
	}
	if rec := mustGet(t, db, "CHILD-1"); rec.SeenUpdated.IsZero() {
		t.Fatal("child's seen-mark lost")
	}
}

// One process, many goroutines: the store's commands run concurrently.
func TestConcurrentUseInOneProcess(t *testing.T) {
	db := openTest(t, Options{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			var err error
			defer func() { errs <- err }()
			for i := range 30 {
				iss := gen(g*100+i, Detail)
				if err = db.PutResult(ctx, Result{JQL: fmt.Sprint("q", g), Keys: []string{iss.Key}}, Detail, []jiraclient.Issue{iss}); err != nil {
					return
				}
				if _, err = db.Search(ctx, iss.Summary[:3], 10); err != nil {
					return
				}
				if _, err = db.Rows(ctx, []string{iss.Key}); err != nil {
					return
				}
				if err = db.MarkResultSeen(ctx, fmt.Sprint("q", g), []string{iss.Key}); err != nil {
					return
				}
			}
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := db.Stats(ctx); st.Issues != 120 || st.Results != 4 {
		t.Fatalf("stats %+v", st)
	}
}
