package account

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/config"
)

func TestStatusWithoutKeyring(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	if _, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := Status(ctx(t), &out, e.cfg, nil, "", e.opts(t0, noEnv)...)
	if !errors.Is(err, ErrStatusProblem) || !strings.Contains(out.String(), "no keyring could be opened") ||
		!strings.Contains(out.String(), config.EnvPassphrase) {
		t.Errorf("%v\n%s", err, out.String())
	}
}
