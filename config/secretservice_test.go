package config

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"
)

// The Secret Service tests need a D-Bus session with an unlocked
// gnome-keyring. The outer tests build one per run: they re-execute this
// test binary under `dbus-run-session -- sh testdata/ss-run.sh`, with HOME
// in a temp dir, and the inner test (selected by -test.run and the
// JIFFY_SS_MODE marker) talks to it.

const ssModeEnv = "JIFFY_SS_MODE"

var ssTools = map[string]string{
	"dbus-run-session":     "dbus",
	"dbus-send":            "dbus",
	"gnome-keyring-daemon": "gnome-keyring",
}

// runUnderSecretService runs TestSecretServiceInner in a fresh session with
// the given login-keyring password and mode, and returns its output.
func runUnderSecretService(t *testing.T, home, password, mode string) (string, error) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "ss-run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	runtimeDir := filepath.Join(home, "run")
	if err := os.MkdirAll(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "dbus-run-session", "--", "sh", script,
		os.Args[0], "-test.run=^TestSecretServiceInner$", "-test.v", "-test.count=1")
	cmd.Env = append(envWithout("DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
		"XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "KEYRING_PW", ssModeEnv, "GORACE"),
		"HOME="+home,
		"XDG_RUNTIME_DIR="+runtimeDir,
		"KEYRING_PW="+password,
		ssModeEnv+"="+mode,
		childGORACE(),
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestSecretService(t *testing.T) {
	requireTools(t, ssTools)
	home := t.TempDir()
	out, err := runUnderSecretService(t, home, "pw-right", "roundtrip")
	if err != nil || !strings.Contains(out, "--- PASS: TestSecretServiceInner") {
		t.Fatalf("inner test under dbus-run-session: %v\n%s", err, out)
	}
	// The item outlives the session: a new session with the same HOME and
	// password reads it back.
	out, err = runUnderSecretService(t, home, "pw-right", "persisted")
	if err != nil || !strings.Contains(out, "--- PASS: TestSecretServiceInner") {
		t.Fatalf("second session: %v\n%s", err, out)
	}
}

// A login keyring that stays locked (wrong password at unlock) opens fine;
// only the probe's write shows the lock, and OpenKeyring must report it.
func TestSecretServiceLocked(t *testing.T) {
	requireTools(t, ssTools)
	home := t.TempDir()
	out, err := runUnderSecretService(t, home, "pw-right", "roundtrip")
	if err != nil || !strings.Contains(out, "--- PASS: TestSecretServiceInner") {
		t.Fatalf("creating the keyring: %v\n%s", err, out)
	}
	out, err = runUnderSecretService(t, home, "pw-wrong", "locked")
	if err != nil || !strings.Contains(out, "--- PASS: TestSecretServiceInner") {
		t.Fatalf("locked keyring: %v\n%s", err, out)
	}
}

const ssPersistProfile = "ss-persist"

func TestSecretServiceInner(t *testing.T) {
	mode := os.Getenv(ssModeEnv)
	if mode == "" {
		t.Skip("runs only under dbus-run-session, started by TestSecretService")
	}
	ctx := context.Background()
	switch mode {
	case "roundtrip":
		s, err := OpenKeyring(ctx, KeyringOptions{Backend: "secret-service"})
		if err != nil {
			t.Fatalf("OpenKeyring(secret-service): %v", err)
		}
		storeContract(t, s)
		// Automatic mode picks it too, now that a bus is there.
		auto, err := OpenKeyring(ctx, KeyringOptions{})
		if err != nil {
			t.Fatalf("OpenKeyring(auto): %v", err)
		}
		if auto.Backend() != "secret-service" {
			t.Fatalf("auto chose %q", auto.Backend())
		}
		if err := auto.Set(ctx, ssPersistProfile, "ss-token-persisted"); err != nil {
			t.Fatal(err)
		}
		// kwallet is registered (there is a bus) but no kwalletd answers.
		// keyring.Open only says "not available"; the reason comes from
		// its debug log, which must be captured, not printed.
		var logged bytes.Buffer
		log.SetOutput(&logged)
		defer log.SetOutput(os.Stderr)
		_, err = OpenKeyring(ctx, KeyringOptions{Backend: "kwallet"})
		if err == nil || !strings.Contains(err.Error(), "kwallet") || strings.Contains(err.Error(), keyring.ErrNoAvailImpl.Error()) {
			t.Fatalf("kwallet: err = %v, want the captured reason", err)
		}
		t.Logf("kwallet reason: %v", err.(*NoBackendError).Attempts[0].Err)
		if logged.Len() != 0 || log.Writer() != &logged {
			t.Fatalf("keyring debug output leaked to the standard logger: %q", logged.String())
		}
		// Namespaced: the item key carries the prefix, so a bare profile
		// name written by another program is not ours.
		if _, err := s.Get(ctx, "ss-"+"persist-absent"); !errors.Is(err, ErrTokenNotFound) {
			t.Fatalf("absent: %v", err)
		}
	case "persisted":
		s, err := OpenKeyring(ctx, KeyringOptions{Backend: "secret-service"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Get(ctx, ssPersistProfile)
		if err != nil || tok != "ss-token-persisted" {
			t.Fatalf("Get across sessions = %q, %v", tok, err)
		}
	case "locked":
		_, err := OpenKeyring(ctx, KeyringOptions{Backend: "secret-service"})
		var nb *NoBackendError
		if !errors.As(err, &nb) {
			t.Fatalf("locked keyring: err = %v, want *NoBackendError", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "locked") || !strings.Contains(msg, "unlock the login keyring") {
			t.Fatalf("message does not explain the lock:\n%s", msg)
		}
		t.Logf("reported:\n%s", msg)
	default:
		t.Fatalf("unknown %s=%q", ssModeEnv, mode)
	}
}
