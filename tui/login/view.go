package login

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// Layout: a label column, then the inputs. Notes under a field are
// indented to the input column so they read as belonging to it.
const (
	labelWidth = 16
	maxWidth   = 80
	margin     = 2
)

// keyringChoice is one backend offered when no keyring works.
type keyringChoice struct {
	backend, name, about string
}

// keyringChoices are the backends jiffy never picks by itself (see
// config.OpenKeyring) but that work without a desktop session.
func keyringChoices() []keyringChoice {
	return []keyringChoice{
		{"keyctl", "Kernel keyring (keyctl)", "no setup; forgotten when the machine restarts"},
		{"pass", "pass", "the standard Unix password manager; needs `pass init` with a GPG key"},
		{"file", "Encrypted file", "protected by a passphrase you type when jiffy starts (or JIFFY_KEYRING_PASSPHRASE)"},
	}
}

// contentWidth is the width the screen lays out in.
func (m Model) contentWidth() int {
	w := m.width
	if w <= 0 {
		w = maxWidth
	}
	w = min(w, maxWidth) - 2*margin
	return max(w, 30)
}

func (m Model) inputWidth() int {
	return max(m.contentWidth()-labelWidth-1, 10)
}

// View draws the screen. The token and the passphrase appear only as the
// masked inputs' bullets.
func (m Model) View() string {
	s := m.c.Styles
	var b strings.Builder
	title := "Sign in to Jira"
	switch {
	case m.o.Reauth && m.o.Rejected:
		title = "Jira did not accept the saved sign-in — sign in again"
	case m.o.Reauth:
		title = "Your Jira session expired — sign in again"
	case m.o.ForProfile != "":
		title = "Sign in to profile " + safetext.Line(m.o.ForProfile) + " — esc goes back"
	}
	b.WriteString(s.Title.Render(title))
	b.WriteString("\n\n")

	switch m.st {
	case stateKeyring:
		b.WriteString(m.keyringView())
	case statePassphrase:
		b.WriteString(m.passphraseView())
	case stateDone:
		b.WriteString(m.doneView())
	default:
		b.WriteString(m.formView())
	}

	// A plain margin rather than a padded block: lines keep no trailing
	// spaces, so the parent can lay the screen out as it likes.
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	pre := strings.Repeat(" ", margin)
	for i, l := range lines {
		if l != "" {
			lines[i] = pre + l
		}
	}
	return "\n" + strings.Join(lines, "\n")
}

// wrap breaks text to the width left of indent, indenting every line.
func (m Model) wrap(text string, indent int) string {
	w := m.contentWidth() - indent
	lines := wrapWords(text, max(w, 20))
	pre := strings.Repeat(" ", indent)
	for i := range lines {
		lines[i] = pre + strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// bullet is "• text" with a hanging indent.
func (m Model) bullet(text string) string {
	w := m.wrap(text, 4)
	return "  • " + strings.TrimPrefix(w, "    ")
}

// note renders text under a field, in style st.
func (m Model) note(text string, st lipgloss.Style) string {
	return paint(st, m.wrap(text, labelWidth)) + "\n"
}

func (m Model) label(f account.Field, text string) string {
	s := m.c.Styles
	st := s.Label
	mark := "  "
	if m.st == stateForm && f != account.FieldNone && m.focus == f {
		st = s.Title
		mark = "› "
	}
	return st.Render(mark + padRight(text, labelWidth-2))
}

func padRight(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func (m Model) fieldError(f account.Field) string {
	if m.err == nil || m.err.Field != f {
		return ""
	}
	s := m.c.Styles
	text := "✗ " + sentence(capitalize(m.err.Cause))
	if fix := m.err.Fix; fix != "" {
		// The token page is printed under the field already.
		if page := account.TokenPageURL(m.site.Flavor, m.site.URL); page != "" && f == account.FieldToken {
			fix = strings.ReplaceAll(fix, " at "+page, " on the page below")
		}
		text += " " + sentence(capitalize(fix))
	}
	return m.note(text, s.FieldError)
}

func (m Model) formView() string {
	s := m.c.Styles
	var b strings.Builder
	intro := "Paste the address of your Jira site — the URL of any issue works too."
	if m.site.Flavor != jiraclient.FlavorUnknown {
		intro = ""
	}
	if intro != "" {
		b.WriteString(paint(s.Muted, m.wrap(intro, 0)))
		b.WriteString("\n\n")
	}

	// Site URL and what was found there.
	b.WriteString(m.label(account.FieldURL, "Site URL"))
	b.WriteString(m.url.View())
	b.WriteString("\n")
	switch {
	case m.detecting:
		b.WriteString(m.note(m.spin.View()+" Looking for Jira at this address…", s.Muted))
	case m.site.Flavor != jiraclient.FlavorUnknown:
		b.WriteString(m.note("✓ "+m.site.Title(), s.Success))
	case m.focus == account.FieldNone && m.o.OfferDemo:
		b.WriteString(m.note("Start typing or paste your site URL.", s.Muted))
	}
	b.WriteString(m.fieldError(account.FieldURL))

	switch m.site.Flavor {
	case jiraclient.FlavorCloud:
		b.WriteString("\n")
		b.WriteString(m.label(account.FieldEmail, "Email"))
		b.WriteString(m.email.View())
		b.WriteString("\n")
		b.WriteString(m.fieldError(account.FieldEmail))
		b.WriteString(m.label(account.FieldToken, "API token"))
		b.WriteString(m.token.View())
		b.WriteString("\n")
		b.WriteString(m.fieldError(account.FieldToken))
		b.WriteString(m.tokenHelp())
	case jiraclient.FlavorDataCenter:
		b.WriteString("\n")
		if u := m.o.Prefill.User; u != "" && m.o.Reauth {
			b.WriteString(m.label(account.FieldNone, "User") + u + "\n")
		}
		b.WriteString(m.label(account.FieldToken, "Access token"))
		b.WriteString(m.token.View())
		b.WriteString("\n")
		b.WriteString(m.fieldError(account.FieldToken))
		b.WriteString(m.tokenHelp())
	}
	b.WriteString(m.fieldError(account.FieldNone))

	b.WriteString("\n")
	switch {
	case m.st == stateChecking:
		b.WriteString(m.spin.View() + " Checking your token…\n")
	case m.st == stateSaving && (m.unlock || m.resumeAfter):
		b.WriteString(m.spin.View() + " Opening the keyring and signing in…\n")
	case m.st == stateSaving:
		b.WriteString(m.spin.View() + " Saving your login…\n")
	}
	if m.notice != "" {
		b.WriteString(paint(s.Error, m.wrap(m.notice, 0)) + "\n")
	}
	if m.info != "" {
		b.WriteString(paint(s.Muted, m.wrap(m.info, 0)) + "\n")
	}
	if m.o.EnvOverride {
		b.WriteString(paint(s.Warning, m.wrap(envNote(), 0)) + "\n")
	}
	if m.o.OfferDemo && !m.o.Reauth && m.st == stateForm {
		switch {
		case m.focus == account.FieldNone:
			b.WriteString("\n" + paint(s.Muted, m.wrap("No Jira account handy? Press d for the demo.", 0)) + "\n")
		case strings.TrimSpace(m.url.Value()) == "":
			b.WriteString("\n" + paint(s.Muted, m.wrap("No Jira account handy? Press esc, then d for the demo.", 0)) + "\n")
		}
	}
	return b.String()
}

// tokenHelp says where to get a token; the URL is always printed so it
// can be copied where no browser opens.
func (m Model) tokenHelp() string {
	s := m.c.Styles
	page := account.TokenPageURL(m.site.Flavor, m.site.URL)
	what := "Create an API token at:"
	if m.site.Flavor == jiraclient.FlavorDataCenter {
		what = "Create a personal access token in your Jira profile:"
	}
	var b strings.Builder
	b.WriteString(m.note(what, s.Muted))
	// The address is a hyperlink too (OSC 8), so a wrapped one still opens
	// whole in terminals that support links.
	b.WriteString(m.note(page, s.Key.Hyperlink(page)))
	b.WriteString(m.note("ctrl+o opens it in your browser", s.Muted))
	return b.String()
}

func envNote() string {
	return "JIRA_URL and JIRA_API_TOKEN are set in the environment, so jiffy uses them instead of a stored token: this login is for this session only and is not saved. Unset them to keep a login in the keyring."
}

func (m Model) keyringView() string {
	s := m.c.Styles
	var b strings.Builder
	who := ""
	if m.res != nil {
		who = "Signed in as " + m.res.DisplayName() + ". "
	}
	b.WriteString(paint(s.Text, m.wrap(who+"Where should jiffy keep your token?", 0)))
	b.WriteString("\n\n")
	if len(m.attempts) > 0 {
		b.WriteString(s.Muted.Render("No keyring worked here:"))
		b.WriteString("\n")
		for _, a := range m.attempts {
			b.WriteString(paint(s.Error, m.bullet(a.Backend+": "+firstLine(errText(a.Err)))))
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	for i, c := range keyringChoices() {
		mark, st := "  ", s.Text
		if i == m.choice {
			mark, st = "› ", s.Title
		}
		b.WriteString(st.Render(mark + c.name))
		b.WriteString("\n")
		b.WriteString(paint(s.Muted, m.wrap(c.about, 4)))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	b.WriteString(paint(s.Muted, m.wrap("jiffy remembers the choice in its config file. Or skip the keyring: set JIRA_URL, JIRA_API_TOKEN (and JIRA_EMAIL for Jira Cloud) in your environment.", 0)))
	b.WriteString("\n")
	return b.String()
}

func (m Model) passphraseView() string {
	s := m.c.Styles
	var b strings.Builder
	if m.unlock {
		who := m.o.Prefill.Email
		if who == "" {
			who = m.o.Prefill.User
		}
		site := m.o.Prefill.URL
		if who != "" {
			site += " as " + who
		}
		b.WriteString(paint(s.Text, m.wrap("Your token for "+site+" is in jiffy's encrypted file keyring. Enter its passphrase to sign in:", 0)))
		b.WriteString("\n\n")
		b.WriteString(s.Title.Render(padRight("› Passphrase", labelWidth)))
		b.WriteString(m.pass.View())
		b.WriteString("\n")
		if m.notice != "" {
			b.WriteString(m.note("✗ "+m.notice, s.FieldError))
		}
		b.WriteString("\n")
		b.WriteString(paint(s.Muted, m.wrap("Set "+config.EnvPassphrase+" to skip this question. esc signs in with a new token instead.", 0)))
		b.WriteString("\n")
		return b.String()
	}
	b.WriteString(paint(s.Text, m.wrap("The token will be kept in an encrypted file. Choose a passphrase for it (or enter the one you chose before):", 0)))
	b.WriteString("\n\n")
	b.WriteString(s.Title.Render(padRight("› Passphrase", labelWidth)))
	b.WriteString(m.pass.View())
	b.WriteString("\n")
	if m.notice != "" {
		b.WriteString(m.note("✗ "+m.notice, s.FieldError))
	}
	b.WriteString("\n")
	b.WriteString(paint(s.Muted, m.wrap("jiffy asks for it when it starts; set "+config.EnvPassphrase+" to skip the question. esc goes back to the keyring choice.", 0)))
	b.WriteString("\n")
	return b.String()
}

func (m Model) doneView() string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Success.Render("✓ " + m.greeting))
	b.WriteString("\n")
	if m.res != nil {
		title := m.res.Flavor.Title()
		b.WriteString(paint(s.Muted, m.wrap("Signed in to "+m.res.SiteURL+" ("+title+").", 2)))
		b.WriteString("\n")
	}
	if m.sessionOnly && m.saveErr != nil {
		b.WriteString(paint(s.Warning, m.wrap("Signed in for this session only: the login could not be saved ("+m.saveErr.Error()+"). Fix that and sign in again to keep it.", 2)))
		b.WriteString("\n")
	} else if m.sessionOnly {
		b.WriteString(paint(s.Warning, m.wrap("Not saved: "+config.EnvToken+" is set, so jiffy uses the environment's token. Unset it to keep a login in the keyring.", 2)))
		b.WriteString("\n")
	} else if m.store != nil {
		b.WriteString(paint(s.Muted, m.wrap("Your token is in the "+m.store.Backend()+" keyring.", 2)))
		b.WriteString("\n")
	}
	return b.String()
}

func errText(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// sentence ends s with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	// No full stop glued to an address the user may copy.
	if f := strings.Fields(s); strings.Contains(f[len(f)-1], "://") {
		return s
	}
	return s + "."
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// paint styles each line on its own: a style rendering several lines pads
// them all to the widest, leaving trailing blanks.
func paint(st lipgloss.Style, text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return strings.Join(lines, "\n")
}

// wrapWords breaks plain text at spaces only, so an address stays whole
// whenever it fits on a line (ansi.Wordwrap also breaks at hyphens); a
// word longer than the line is cut.
func wrapWords(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line, lw := "", 0
		for _, word := range strings.Fields(para) {
			ww := lipgloss.Width(word)
			switch {
			case lw == 0:
			case lw+1+ww <= width:
				line += " "
				lw++
			default:
				out = append(out, line)
				line, lw = "", 0
			}
			for ww > width {
				r := []rune(word)
				cut := 0
				for n := 0; cut < len(r) && n+lipgloss.Width(string(r[cut])) <= width-lw; cut++ {
					n += lipgloss.Width(string(r[cut]))
				}
				if cut == 0 && lw == 0 {
					cut = 1 // a character wider than the line: it goes alone
				}
				if cut == 0 {
					out = append(out, line)
					line, lw = "", 0
					continue
				}
				out = append(out, line+string(r[:cut]))
				line, lw = "", 0
				word = string(r[cut:])
				ww = lipgloss.Width(word)
			}
			line += word
			lw += ww
		}
		out = append(out, line)
	}
	return out
}
