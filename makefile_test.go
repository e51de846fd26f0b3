package main

import (
	"os"
	"strings"
	"testing"
)

// TestMakeTestIsDeterministic guards the rule that `make test` runs nothing
// random: random fuzzing once turned a clean checkout red. Fuzz targets
// replay their seed corpora inside `go test`; exploring is `make fuzz`.
func TestMakeTestIsDeterministic(t *testing.T) {
	data, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string][]string{} // target -> prerequisites and recipe lines
	var cur string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "\t"):
			if cur != "" {
				targets[cur] = append(targets[cur], line)
			}
		case strings.Contains(line, ":") && !strings.HasPrefix(line, "#") && !strings.Contains(line, "="):
			name, deps, _ := strings.Cut(line, ":")
			cur = strings.TrimSpace(name)
			targets[cur] = append(targets[cur], strings.Fields(deps)...)
		default:
			cur = ""
		}
	}
	var visit func(string, []string)
	seen := map[string]bool{}
	visit = func(name string, path []string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if _, ok := targets[name]; !ok {
			return
		}
		path = append(path, name)
		for _, l := range targets[name] {
			if strings.Contains(l, "-fuzz") {
				t.Errorf("make test runs random fuzzing (%s): %q", strings.Join(path, " -> "), strings.TrimSpace(l))
			}
			if !strings.HasPrefix(l, "\t") {
				visit(l, path)
			}
		}
	}
	if _, ok := targets["test"]; !ok {
		t.Fatal("the Makefile has no test target")
	}
	visit("test", nil)
	if _, ok := targets["fuzz"]; !ok {
		t.Error("the Makefile lost its fuzz target (exploration lives there)")
	}
}
