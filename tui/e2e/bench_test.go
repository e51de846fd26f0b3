package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// BenchmarkProcessList50 is the whole process of `jiffy list` printing 50
// issues from fakejira on loopback (built binary, no go run), beside the
// process alone (`jiffy --version`): start-up, config, one search, exit.
func BenchmarkProcessList50(b *testing.B) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 7, Issues: 50})
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	dir := b.TempDir()
	env := []string{"HOME=" + dir, "JIFFY_CONFIG=" + dir + "/none.toml", "JIFFY_STATE_DIR=" + dir + "/state", "DBUS_SESSION_BUS_ADDRESS=disabled:"}
	env = append(env, envCreds(fakejira.FlavorCloud, url)...)
	for _, tc := range []struct {
		name  string
		args  []string
		lines int
	}{
		{"version", []string{"--version"}, 1},
		{"list-50", []string{"list", "--jql", "created >= -3650d ORDER BY key"}, 50},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv.ResetRequests()
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(binary, tc.args...)
				cmd.Env = env
				out, err := cmd.Output()
				if err != nil || strings.Count(string(out), "\n") != tc.lines {
					b.Fatalf("%v: %d lines", err, strings.Count(string(out), "\n"))
				}
			}
			b.ReportMetric(float64(len(srv.Requests()))/float64(b.N), "requests")
		})
	}
}
