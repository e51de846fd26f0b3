// Package keys holds jiffy's key bindings. Each view's keymap comes from a
// function returning fresh key.Bindings (never a mutable package global), so a
// view may disable a binding without touching anyone else's, and help is
// generated from whatever keymap the focused view returns. Each view also has
// a pure key -> action function, tested table-driven, so Update only decides
// what an action means in the current state.
package keys

import (
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Text fields own the keyboard. Wherever a text input has the focus (a
// picker's filter, the JQL prompt, the list filter, a form field, the login
// form), a key that types a character is text, never an action: actions
// there take a modifier (ctrl+s), a named key (enter, esc, tab, the
// arrows, f1), a number on an empty input, or a visible entry chosen with
// enter. IsText says which keys type; ForInput strips them from a binding,
// so a keymap built for a focused input can neither match them nor offer
// them in its help.

// IsText reports whether msg types a character: a printable one, with no
// modifier but shift.
func IsText(msg tea.KeyPressMsg) bool {
	k := msg.Key()
	if k.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock|tea.ModScrollLock) != 0 || k.Text == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(k.Text)
	return unicode.IsPrint(r)
}

// isTextKey reports whether a binding's key name types a character.
func isTextKey(name string) bool {
	if name == "space" {
		return true
	}
	r, n := utf8.DecodeRuneInString(name)
	return n == len(name) && unicode.IsPrint(r)
}

// isDigit reports whether a key name is 1-9.
func isDigit(name string) bool { return len(name) == 1 && name[0] >= '1' && name[0] <= '9' }

// ForInput is b as it works while a text input has the focus: the keys
// that type a character are dropped, but for 1-9 when digits is set (a
// number on an empty input picks that entry). A binding left with no key
// is disabled, so help does not offer it.
func ForInput(b key.Binding, digits bool) key.Binding {
	var keep []string
	for _, k := range b.Keys() {
		if !isTextKey(k) || (digits && isDigit(k)) {
			keep = append(keep, k)
		}
	}
	if len(keep) == len(b.Keys()) {
		return b
	}
	if len(keep) == 0 {
		b.SetEnabled(false)
		return b
	}
	b.SetKeys(keep...)
	if h := b.Help(); h.Key != "" {
		b.SetHelp(keep[0], h.Desc)
	}
	return b
}

// Global are the bindings that work on every screen unless a text input has
// the focus.
type Global struct {
	Quit key.Binding
	Help key.Binding
	// Find searches every cached issue (not while a text input has the
	// focus: there ctrl+f moves the cursor).
	Find key.Binding
	// Profiles opens the profile picker: switch site or user live.
	Profiles key.Binding
}

// NewGlobal returns the global bindings.
func NewGlobal() Global {
	return Global{
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help: key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Find: key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "search seen issues")),

		Profiles: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "switch profile (site, user)")),
	}
}

// ForInput is the global bindings while a text input has the focus: help
// on f1 alone, and no q.
func (g Global) ForInput() Global {
	g.Quit = ForInput(g.Quit, false)
	g.Help = ForInput(g.Help, false)
	g.Find.SetEnabled(false)
	g.Profiles.SetEnabled(false)
	return g
}

// Branch opens the issue whose key the current git branch's name carries
// (feature/ABC-123-fix-login), from the list and the detail.
func Branch() key.Binding {
	return key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "open the git branch's issue"))
}

// ForceQuit is the one binding that works even inside text inputs.
func ForceQuit() key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
}

// List are the issue list's bindings.
type List struct {
	Up, Down           key.Binding
	Top, Bottom        key.Binding
	HalfUp, HalfDown   key.Binding
	PageUp, PageDown   key.Binding
	Open               key.Binding
	Filter             key.Binding
	ClearFilter        key.Binding
	JQL                key.Binding
	NextTab, PrevTab   key.Binding
	Tab                key.Binding // 1-9: jump to a tab
	Refresh            key.Binding
	Browser            key.Binding
	CopyKey, CopyURL   key.Binding
	Preview            key.Binding
	PreviewDown        key.Binding
	PreviewUp          key.Binding
	Toggle, Range, All key.Binding
	Help, Quit         key.Binding
}

// NewList returns the issue list's bindings.
func NewList() List {
	g := NewGlobal()
	return List{
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last")),
		HalfUp:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown:    key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		JQL:         key.NewBinding(key.WithKeys(":", "J"), key.WithHelp(":/J", "JQL")),
		NextTab:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Tab:         key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to tab")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Browser:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		CopyKey:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy key")),
		CopyURL:     key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy URL")),
		Preview:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "preview")),
		PreviewDown: key.NewBinding(key.WithKeys("ctrl+j", "alt+j"), key.WithHelp("ctrl+j", "scroll preview down")),
		PreviewUp:   key.NewBinding(key.WithKeys("ctrl+k", "alt+k"), key.WithHelp("ctrl+k", "scroll preview up")),
		Toggle:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "select")),
		Range:       key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "select range")),
		All:         key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "select all loaded")),
		Help:        g.Help,
		Quit:        g.Quit,
	}
}

// WithState returns the keymap with the bindings that make sense in the
// given state enabled, so help shows only keys that do something.
func (k List) WithState(previewOn, filtering bool) List {
	return k.WithSelection(previewOn, filtering, false)
}

// WithSelection is WithState for a list that may have issues selected:
// esc then clears the selection (once the filter is empty).
func (k List) WithSelection(previewOn, filtering, selecting bool) List {
	k.PreviewDown.SetEnabled(previewOn)
	k.PreviewUp.SetEnabled(previewOn)
	k.ClearFilter.SetEnabled(filtering || selecting)
	if !filtering && selecting {
		k.ClearFilter.SetHelp("esc", "clear selection")
	}
	return k
}

// ShortHelp is the one-line help.
func (k List) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.JQL, k.Preview, k.Help, k.Quit}
}

// FullHelp is the help screen, in columns.
func (k List) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.HalfUp, k.HalfDown, k.PageUp, k.PageDown},
		{k.Open, k.Filter, k.ClearFilter, k.JQL, k.NextTab, k.PrevTab, k.Tab, k.Refresh},
		{k.Browser, k.CopyKey, k.CopyURL, k.Preview, k.PreviewDown, k.PreviewUp},
		{k.Toggle, k.Range, k.All, k.Help, k.Quit},
	}
}

// ListAction is what a key press means to the issue list.
type ListAction int

// The list's actions.
const (
	ListNone ListAction = iota
	ListUp
	ListDown
	ListTop
	ListBottom
	ListHalfUp
	ListHalfDown
	ListPageUp
	ListPageDown
	ListOpen
	ListFilter
	ListClearFilter
	ListJQL
	ListNextTab
	ListPrevTab
	ListGoToTab
	ListRefresh
	ListBrowser
	ListCopyKey
	ListCopyURL
	ListPreview
	ListPreviewDown
	ListPreviewUp
	ListToggle
	ListRange
	ListAll
)

// ListActionFor maps a key press to a list action. Disabled bindings never
// match, so the keymap's state decides (see List.WithState).
func ListActionFor(k List, msg tea.KeyPressMsg) ListAction {
	table := []struct {
		b key.Binding
		a ListAction
	}{
		{k.Up, ListUp}, {k.Down, ListDown}, {k.Top, ListTop}, {k.Bottom, ListBottom},
		{k.HalfUp, ListHalfUp}, {k.HalfDown, ListHalfDown},
		{k.PageUp, ListPageUp}, {k.PageDown, ListPageDown},
		{k.Open, ListOpen}, {k.Filter, ListFilter}, {k.ClearFilter, ListClearFilter},
		{k.JQL, ListJQL}, {k.NextTab, ListNextTab}, {k.PrevTab, ListPrevTab},
		{k.Tab, ListGoToTab}, {k.Refresh, ListRefresh}, {k.Browser, ListBrowser},
		{k.CopyKey, ListCopyKey}, {k.CopyURL, ListCopyURL}, {k.Preview, ListPreview},
		{k.PreviewDown, ListPreviewDown}, {k.PreviewUp, ListPreviewUp},
		{k.Toggle, ListToggle}, {k.Range, ListRange}, {k.All, ListAll},
	}
	for _, e := range table {
		if key.Matches(msg, e.b) {
			return e.a
		}
	}
	return ListNone
}

// TabNumber is the tab a digit key names (1-based), or 0.
func TabNumber(msg tea.KeyPressMsg) int {
	s := msg.String()
	if len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		return int(s[0] - '0')
	}
	return 0
}

// Prompt are the bindings of a one-line prompt (the JQL prompt, the filter).
type Prompt struct {
	Submit, Cancel, Prev, Next key.Binding
}

// NewPrompt returns a prompt's bindings.
func NewPrompt() Prompt {
	return Prompt{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Prev:   key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older query")),
		Next:   key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer query")),
	}
}

// ShortHelp is the one-line help.
func (k Prompt) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Cancel, k.Prev, k.Next} }

// FullHelp is the help screen.
func (k Prompt) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// PromptAction is what a key press means to a prompt.
type PromptAction int

// The prompt's actions; PromptEdit means the text input handles the key.
const (
	PromptEdit PromptAction = iota
	PromptSubmit
	PromptCancel
	PromptPrev
	PromptNext
)

// PromptActionFor maps a key press to a prompt action.
func PromptActionFor(k Prompt, msg tea.KeyPressMsg) PromptAction {
	switch {
	case key.Matches(msg, k.Submit):
		return PromptSubmit
	case key.Matches(msg, k.Cancel):
		return PromptCancel
	case key.Matches(msg, k.Prev):
		return PromptPrev
	case key.Matches(msg, k.Next):
		return PromptNext
	}
	return PromptEdit
}

// Help are the bindings of the help screen: it scrolls when the key list
// is taller than the screen.
type Help struct {
	Close            key.Binding
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// NewHelp returns the help screen's bindings.
func NewHelp() Help {
	return Help{
		Close:    key.NewBinding(key.WithKeys("?", "esc", "q", "f1"), key.WithHelp("?/esc", "close help")),
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
	}
}

// ShortHelp is the one-line help.
func (k Help) ShortHelp() []key.Binding { return []key.Binding{k.Close} }

// FullHelp is the help screen.
func (k Help) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Close}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

// Actions are the triage keys: they work on the highlighted issue in the
// list (or on the selection, when there is one) and on the issue shown in
// the detail. The root handles them, since each opens an overlay.
type Actions struct {
	Transition key.Binding
	Assign     key.Binding
	AssignMe   key.Binding
	Comment    key.Binding
	Edit       key.Binding
	Labels     key.Binding
	Create     key.Binding
}

// NewActions returns the triage bindings.
func NewActions() Actions {
	return Actions{
		Transition: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "transition")),
		Assign:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "assign")),
		AssignMe:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "assign to me")),
		Comment:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "comment")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit fields")),
		Labels:     key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "labels")),
		Create:     key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "create issue")),
	}
}

// ForSelection returns the keymap for a list with issues selected: the
// actions that work on many issues at once, named so.
func (k Actions) ForSelection() Actions {
	k.Transition.SetHelp("t", "transition selected")
	k.Assign.SetHelp("a", "assign selected")
	k.AssignMe.SetHelp("i", "assign selected to me")
	k.Labels.SetHelp("l", "label selected")
	k.Comment.SetEnabled(false)
	k.Edit.SetEnabled(false)
	return k
}

// ShortHelp is the most used triage keys.
func (k Actions) ShortHelp() []key.Binding {
	return []key.Binding{k.Transition, k.Assign, k.Comment}
}

// FullHelp is one help column.
func (k Actions) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Transition, k.Assign, k.AssignMe, k.Comment, k.Edit, k.Labels, k.Create}}
}

// Action is a triage key's meaning.
type Action int

// The triage actions.
const (
	ActNone Action = iota
	ActTransition
	ActAssign
	ActAssignMe
	ActComment
	ActEdit
	ActLabels
	ActCreate
)

// ActionFor maps a key press to a triage action.
func ActionFor(k Actions, msg tea.KeyPressMsg) Action {
	switch {
	case key.Matches(msg, k.Transition):
		return ActTransition
	case key.Matches(msg, k.Assign):
		return ActAssign
	case key.Matches(msg, k.AssignMe):
		return ActAssignMe
	case key.Matches(msg, k.Comment):
		return ActComment
	case key.Matches(msg, k.Edit):
		return ActEdit
	case key.Matches(msg, k.Labels):
		return ActLabels
	case key.Matches(msg, k.Create):
		return ActCreate
	}
	return ActNone
}
