package config

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/jiffy-tui/jiffy/config/internal/dbusguard"
)

// requireTools skips a test whose tools are missing, except under CI=true
// where the missing tool is a broken CI image and must fail.
func requireTools(t *testing.T, tools map[string]string) {
	t.Helper()
	var missing []string
	for bin, pkg := range tools {
		if _, err := exec.LookPath(bin); err != nil {
			missing = append(missing, bin+" (apt-get install -y --no-install-recommends "+pkg+")")
		}
	}
	if len(missing) == 0 {
		return
	}
	sort.Strings(missing)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but missing: %s", strings.Join(missing, ", "))
	}
	t.Skipf("missing: %s", strings.Join(missing, ", "))
}

func uniqueProfile(t *testing.T) string {
	var b [6]byte
	rand.Read(b[:])
	return "test-" + hex.EncodeToString(b[:])
}

// storeContract is what every Store must do, real backend or not.
func storeContract(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	p := uniqueProfile(t)
	t.Cleanup(func() { s.Remove(context.Background(), p) })

	if _, err := s.Get(ctx, p); !errors.Is(err, ErrTokenNotFound) {
		t.Fatalf("%s: Get of a missing token: err = %v, want ErrTokenNotFound", s.Backend(), err)
	}
	if err := s.Remove(ctx, p); err != nil {
		t.Fatalf("%s: Remove of a missing token: %v, want nil", s.Backend(), err)
	}
	if err := s.Set(ctx, p, "tok-1"); err != nil {
		t.Fatalf("%s: Set: %v", s.Backend(), err)
	}
	if got, err := s.Get(ctx, p); err != nil || got != "tok-1" {
		t.Fatalf("%s: Get = %q, %v", s.Backend(), got, err)
	}
	if err := s.Set(ctx, p, "tok-2"); err != nil {
		t.Fatalf("%s: replacing Set: %v", s.Backend(), err)
	}
	if got, err := s.Get(ctx, p); err != nil || got != "tok-2" {
		t.Fatalf("%s: Get after replace = %q, %v", s.Backend(), got, err)
	}
	other := p + "-other"
	if _, err := s.Get(ctx, other); !errors.Is(err, ErrTokenNotFound) {
		t.Fatalf("%s: profiles not separate: %v", s.Backend(), err)
	}
	if err := s.Set(ctx, p, "  "); err == nil {
		t.Fatalf("%s: blank token accepted", s.Backend())
	}
	if _, err := s.Get(ctx, ""); err == nil {
		t.Fatalf("%s: empty profile accepted", s.Backend())
	}
	if err := s.Remove(ctx, p); err != nil {
		t.Fatalf("%s: Remove: %v", s.Backend(), err)
	}
	if _, err := s.Get(ctx, p); !errors.Is(err, ErrTokenNotFound) {
		t.Fatalf("%s: Get after Remove: %v", s.Backend(), err)
	}
	if err := s.Remove(ctx, p); err != nil {
		t.Fatalf("%s: second Remove: %v", s.Backend(), err)
	}
}

func TestMemoryStore(t *testing.T) {
	s := MemoryStore()
	if s.Backend() != "memory" {
		t.Errorf("Backend = %q", s.Backend())
	}
	storeContract(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled ctx: %v", err)
	}
}

func TestKeyctlBackend(t *testing.T) {
	requireTools(t, map[string]string{"keyctl": "keyutils"})
	ctx := context.Background()
	s, err := OpenKeyring(ctx, KeyringOptions{Backend: "keyctl"})
	if err != nil {
		t.Fatalf("OpenKeyring(keyctl): %v", err)
	}
	if s.Backend() != "keyctl" {
		t.Fatalf("Backend = %q", s.Backend())
	}
	storeContract(t, s)

	// The item is in the user keyring under the namespaced key, readable
	// from another process (scope "user", not "process"), and gone after
	// Remove.
	p := uniqueProfile(t)
	if err := s.Set(ctx, p, "kernel-tok"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove(context.Background(), p) })
	out, err := exec.Command("keyctl", "search", "@u", "user", keyPrefix+p).CombinedOutput()
	if err != nil {
		t.Fatalf("keyctl search @u user %s: %v %s", keyPrefix+p, err, out)
	}
	id := strings.TrimSpace(string(out))
	got, err := exec.Command("keyctl", "pipe", id).Output()
	if err != nil || string(got) != "kernel-tok" {
		t.Fatalf("keyctl pipe %s = %q, %v", id, got, err)
	}
	// A second Open sees the same item.
	s2, err := OpenKeyring(ctx, KeyringOptions{Backend: "keyctl"})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s2.Get(ctx, p); err != nil || tok != "kernel-tok" {
		t.Fatalf("second store Get = %q, %v", tok, err)
	}
	if err := s2.Remove(ctx, p); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("keyctl", "search", "@u", "user", keyPrefix+p).CombinedOutput(); err == nil {
		t.Fatalf("key still in the kernel keyring after Remove: %s", out)
	}
	// No probe sentinel left behind.
	out, _ = exec.Command("keyctl", "show", "@u").CombinedOutput()
	if strings.Contains(string(out), probePrefix) {
		t.Errorf("probe sentinel left in the keyring:\n%s", out)
	}
}

func fixedPass(p string) func() (string, error) {
	return func() (string, error) { return p, nil }
}

func TestFileBackend(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "keyring")
	s, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir, Passphrase: fixedPass("correct horse")})
	if err != nil {
		t.Fatalf("OpenKeyring(file): %v", err)
	}
	if s.Backend() != "file" {
		t.Fatalf("Backend = %q", s.Backend())
	}
	storeContract(t, s)

	if err := s.Set(ctx, "keep", "file-secret-token"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode: %v %v", st.Mode(), err)
	}
	names := listDir(t, dir)
	if len(names) != 1 {
		t.Fatalf("keyring dir holds %v, want one item (no probe leftovers)", names)
	}
	data, err := os.ReadFile(filepath.Join(dir, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "file-secret-token") {
		t.Fatal("token stored in plain text")
	}
	if fi, _ := os.Stat(filepath.Join(dir, names[0])); fi.Mode().Perm() != 0o600 {
		t.Errorf("item mode %o", fi.Mode().Perm())
	}

	t.Run("wrong passphrase", func(t *testing.T) {
		_, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir, Passphrase: fixedPass("wrong")})
		if !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("err = %v, want ErrWrongPassphrase", err)
		}
		var nb *NoBackendError
		if !errors.As(err, &nb) || !strings.Contains(err.Error(), "passphrase the file keyring was created with") {
			t.Errorf("message lacks the fix: %v", err)
		}
	})
	t.Run("missing passphrase", func(t *testing.T) {
		t.Setenv(EnvPassphrase, "")
		_, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir})
		if !errors.Is(err, ErrNeedPassphrase) {
			t.Fatalf("err = %v, want ErrNeedPassphrase", err)
		}
		_, err = OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir, Passphrase: fixedPass("")})
		if !errors.Is(err, ErrNeedPassphrase) {
			t.Fatalf("empty passphrase: err = %v, want ErrNeedPassphrase", err)
		}
	})
	t.Run("passphrase from env", func(t *testing.T) {
		t.Setenv(EnvPassphrase, "correct horse")
		s, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if tok, err := s.Get(ctx, "keep"); err != nil || tok != "file-secret-token" {
			t.Fatalf("Get = %q, %v", tok, err)
		}
	})
	t.Run("Set checks the passphrase", func(t *testing.T) {
		// A store opened on an empty dir accepts any passphrase; once
		// someone stores an item with another one, its Set must refuse
		// rather than mix passphrases.
		dir2 := filepath.Join(t.TempDir(), "kr")
		wrong, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir2, Passphrase: fixedPass("first")})
		if err != nil {
			t.Fatal(err)
		}
		right, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir2, Passphrase: fixedPass("second")})
		if err != nil {
			t.Fatal(err)
		}
		if err := right.Set(ctx, "a", "tok-a"); err != nil {
			t.Fatal(err)
		}
		if err := wrong.Set(ctx, "b", "tok-b"); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("Set with a different passphrase: err = %v, want ErrWrongPassphrase", err)
		}
		if _, err := wrong.Get(ctx, "a"); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("Get with a different passphrase: err = %v, want ErrWrongPassphrase", err)
		}
	})
	t.Run("passphrase func error", func(t *testing.T) {
		boom := errors.New("user cancelled")
		_, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: dir, Passphrase: func() (string, error) { return "", boom }})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the func's error", err)
		}
	})
}

func TestFileDirTilde(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	got, err := fileDir("~/kr")
	if err != nil || got != filepath.Join(home, "kr") {
		t.Errorf("fileDir(~/kr) = %q, %v", got, err)
	}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	got, err = fileDir("")
	if err != nil || got != filepath.Join(home, "cfg", "jiffy", "keyring") {
		t.Errorf("fileDir(\"\") = %q, %v", got, err)
	}
}

// blockingRing is a keyring.Keyring whose calls wait for release, like a
// D-Bus call waiting on an unlock prompt nobody sees.
type blockingRing struct {
	release chan struct{}
	items   sync.Map
}

func (b *blockingRing) Get(key string) (keyring.Item, error) {
	<-b.release
	if v, ok := b.items.Load(key); ok {
		return v.(keyring.Item), nil
	}
	return keyring.Item{}, keyring.ErrKeyNotFound
}
func (b *blockingRing) GetMetadata(string) (keyring.Metadata, error) {
	return keyring.Metadata{}, keyring.ErrMetadataNotSupported
}
func (b *blockingRing) Set(it keyring.Item) error { <-b.release; b.items.Store(it.Key, it); return nil }
func (b *blockingRing) Remove(key string) error {
	<-b.release
	if _, ok := b.items.LoadAndDelete(key); !ok {
		return keyring.ErrKeyNotFound
	}
	return nil
}
func (b *blockingRing) Keys() ([]string, error) { <-b.release; return nil, nil }

func TestStoreTimeout(t *testing.T) {
	ring := &blockingRing{release: make(chan struct{})}
	s := &keyringStore{ring: ring, backend: "secret-service", timeout: 50 * time.Millisecond, sem: make(chan struct{}, 1)}
	ctx := context.Background()
	start := time.Now()
	_, err := s.Get(ctx, "p")
	if !errors.Is(err, ErrKeyringTimeout) || !strings.Contains(err.Error(), "secret-service") || !strings.Contains(err.Error(), "50ms") {
		t.Fatalf("err = %v, want a timeout naming the backend", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	// The first call is still stuck in the backend: the next one must not
	// pile up behind it forever either.
	if err := s.Set(ctx, "p", "t"); !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("second call: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Remove(cctx, "p"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
	close(ring.release)
	// Once the backend answers, the store works again.
	deadline := time.Now().Add(2 * time.Second)
	for {
		err = s.Set(ctx, "p", "t")
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	if tok, err := s.Get(ctx, "p"); err != nil || tok != "t" {
		t.Fatalf("Get = %q, %v", tok, err)
	}
	if err := s.Remove(ctx, "missing"); err != nil {
		t.Fatalf("Remove missing: %v", err)
	}
}

func TestNoBackendErrorMessage(t *testing.T) {
	e := &NoBackendError{Attempts: []Attempt{
		{Backend: "secret-service", Err: errors.New("Cannot create an item in a locked collection")},
		{Backend: "kwallet", Err: errors.New("The name org.kde.kwalletd5 was not provided by any .service files")},
		{Backend: "file", Err: ErrNeedPassphrase},
	}}
	msg := e.Error()
	for _, want := range []string{
		"secret-service: Cannot create an item in a locked collection",
		"unlock the login keyring",
		"kwallet: The name org.kde.kwalletd5",
		"kwalletd5",
		"file: the file keyring needs a passphrase",
		"backend = \"file\"",
		"backend = \"keyctl\"",
		"pass init",
		"JIRA_URL, JIRA_API_TOKEN",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if !errors.Is(e, ErrNeedPassphrase) {
		t.Error("errors.Is(NoBackendError, ErrNeedPassphrase) is false")
	}
}

// With no session bus (this machine, most CI), automatic mode must say,
// per OS backend, why it could not be used; not a bare "not available".
func TestAutoWithoutDBus(t *testing.T) {
	if !dbusguard.Disabled() {
		t.Skip("a D-Bus session bus is present")
	}
	_, err := OpenKeyring(context.Background(), KeyringOptions{})
	var nb *NoBackendError
	if !errors.As(err, &nb) {
		t.Fatalf("err = %v, want *NoBackendError", err)
	}
	if len(nb.Attempts) != 2 || nb.Attempts[0].Backend != "secret-service" || nb.Attempts[1].Backend != "kwallet" {
		t.Fatalf("attempts = %+v", nb.Attempts)
	}
	if !strings.Contains(err.Error(), "no D-Bus session bus") || !strings.Contains(err.Error(), "apt install gnome-keyring") {
		t.Errorf("message:\n%s", err)
	}
	for _, b := range AvailableBackends() {
		if b == "secret-service" || b == "kwallet" {
			t.Errorf("%s offered without a bus", b)
		}
	}
}

func TestOpenKeyringBadChoice(t *testing.T) {
	_, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "gnome"})
	if err == nil || !strings.Contains(err.Error(), "secret-service") {
		t.Errorf("unknown backend: %v", err)
	}
	if _, err := exec.LookPath("pass"); err != nil {
		_, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "pass"})
		if err == nil || !strings.Contains(err.Error(), "pass program is not installed") || !strings.Contains(err.Error(), "pass init") {
			t.Errorf("pass without pass: %v", err)
		}
	}
}

// The guard must keep the keyring package's init from running dbus-launch
// when no bus is known, and give the environment back afterwards. The test
// binary is re-run with no bus variables and a fake dbus-launch first on
// PATH that leaves a mark if it is ever started.
func TestDBusGuard(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the keyring package probes D-Bus at init only on Linux")
	}
	if os.Getenv("JIFFY_GUARD_CHILD") == "1" {
		if v, ok := os.LookupEnv("DBUS_SESSION_BUS_ADDRESS"); ok {
			t.Fatalf("DBUS_SESSION_BUS_ADDRESS=%q after init, want it unset again", v)
		}
		if !dbusguard.Disabled() {
			t.Fatal("guard did not engage")
		}
		if _, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "secret-service"}); err == nil {
			t.Fatal("secret-service opened without a bus")
		}
		return
	}
	if _, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus"); err == nil {
		t.Skip("a session bus socket exists in /run/user; the guard rightly stays off")
	}
	bin := t.TempDir()
	mark := filepath.Join(t.TempDir(), "launched")
	script := "#!/bin/sh\ntouch " + mark + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDBusGuard$", "-test.v", "-test.count=1")
	cmd.Env = append(envWithout("DBUS_SESSION_BUS_ADDRESS", "PATH", "GORACE"), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "JIFFY_GUARD_CHILD=1", childGORACE())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestDBusGuard") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Fatal("dbus-launch was started at init")
	}
}

// childGORACE keeps a -race child from sleeping 1 s at exit (the race
// runtime's default atexit_sleep_ms), which would dominate these tests.
func childGORACE() string {
	return "GORACE=" + strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")
}

func envWithout(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		drop := false
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// OpenKeyring's cost is what every jiffy start pays (Open + probe).
func BenchmarkOpenKeyringKeyctl(b *testing.B) {
	if _, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "keyctl"}); err != nil {
		b.Skip(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "keyctl"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenKeyringFile(b *testing.B) {
	dir := b.TempDir()
	s, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "file", FileDir: dir, Passphrase: fixedPass("pp")})
	if err != nil {
		b.Fatal(err)
	}
	// With an item present, the probe also verifies the passphrase.
	if err := s.Set(context.Background(), "p", "tok"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := OpenKeyring(context.Background(), KeyringOptions{Backend: "file", FileDir: dir, Passphrase: fixedPass("pp")}); err != nil {
			b.Fatal(err)
		}
	}
}
