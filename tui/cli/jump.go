package cli

import (
	"fmt"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/tui/jump"
)

// CheckJumpSite refuses a browse URL of another site than the one jiffy
// signs in to (site, from the profile named profile or from JIRA_URL when
// fromEnv), saying which profile is for that site, or how to add one. A
// bare key, or an unknown site (no login yet), passes.
func CheckJumpSite(t *jump.Target, site string, cfg *config.Config, profile string, fromEnv bool) error {
	if t == nil || t.Site == "" || site == "" || jump.SameSite(t.Site, site) {
		return nil
	}
	here := fmt.Sprintf("profile %q is for %s", profile, site)
	if fromEnv {
		here = "JIRA_URL names " + site
	}
	if cfg != nil {
		for _, name := range cfg.ProfileNames() {
			if p := cfg.Profiles[name]; p != nil && jump.SameSite(p.URL, t.Site) {
				return usageErr("%s is an issue of %s, the site of profile %q (%s): run jiffy --profile %s %s", Clean(t.URL), Clean(t.Site), name, here, name, t.Key)
			}
		}
	}
	return usageErr("%s is an issue of %s, and no profile is for that site (%s): add it with jiffy login --url %s", Clean(t.URL), Clean(t.Site), here, Clean(t.Site))
}
