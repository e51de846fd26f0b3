package account

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/config"
)

// TestStatusWillNotSendTokenElsewhere: after a login, the profile's url is
// changed to another host. With config.toml writable by others (0666), or
// with a private file, status never sends the stored token to the new
// host, and says why.
func TestStatusWillNotSendTokenElsewhere(t *testing.T) {
	for _, mode := range []os.FileMode{0o666, 0o600} {
		t.Run(mode.String(), func(t *testing.T) {
			s := newSite(t, "cloud", "")
			evil := newSite(t, "cloud", "")
			e := newEnv(t)
			saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
			if err != nil {
				t.Fatal(err)
			}
			e.cfg.Profiles[saved.Profile].URL = evil.URL()
			if err := e.cfg.Save(e.cfgPath); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(e.cfgPath, mode); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(e.cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = Status(ctx(t), &out, cfg, e.store, "", e.opts(t0, noEnv)...)
			if !errors.Is(err, ErrStatusProblem) {
				t.Errorf("err = %v", err)
			}
			if n := evil.count("/rest/api/3/myself") + evil.count("/rest/api/2/myself"); n != 0 {
				t.Fatalf("the token was sent to the other host (%d requests)", n)
			}
			got := out.String()
			want := "will not send"
			if mode == 0o666 && (!strings.Contains(got, "can be written by other users") || !strings.Contains(got, "chmod 600")) {
				t.Errorf("no word of the file's mode:\n%s", got)
			}
			if !strings.Contains(got, want) {
				t.Errorf("status does not say %q:\n%s", want, got)
			}
			assertNoToken(t, got)
		})
	}
}

// TestStatusTrustsItsOwnLogin: the same login with the file untouched
// still works (the binding matches the site).
func TestStatusTrustsItsOwnLogin(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	if _, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Dir(e.cfgPath)); st.Mode().Perm()&0o022 != 0 {
		t.Fatalf("the config folder was made group-writable: %v", st.Mode())
	}
	var out bytes.Buffer
	if err := Status(ctx(t), &out, cfg, e.store, "", e.opts(t0, noEnv)...); err != nil {
		t.Fatalf("Status: %v\n%s", err, out.String())
	}
}
