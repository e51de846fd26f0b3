package cli

import (
	"cmp"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/tui/profiles"
)

// ProfileEntries are the profiles P offers: the environment's credentials
// (when JIRA_* are set) and the config file's profiles.
func ProfileEntries(cfg *config.Config, getenv func(string) string) []profiles.Entry {
	var out []profiles.Entry
	if c, ok, _ := config.FromEnv(getenv); ok {
		out = append(out, profiles.Entry{Env: true, EnvVars: account.EnvVarsSet(getenv), URL: c.URL, User: c.User})
	}
	for _, name := range cfg.ProfileNames() {
		p := cfg.Profiles[name]
		out = append(out, profiles.Entry{Name: name, URL: p.URL, User: cmp.Or(p.Email, p.Username)})
	}
	return out
}

// EntryOf is the entry of the credentials in use.
func EntryOf(entries []profiles.Entry, creds config.Credentials) profiles.Entry {
	for _, e := range entries {
		if (e.Env && creds.Source != config.SourceKeyring) || (!e.Env && creds.Source == config.SourceKeyring && e.Name == creds.Profile) {
			return e
		}
	}
	return profiles.Entry{Name: creds.Profile, URL: creds.URL, User: creds.User}
}
