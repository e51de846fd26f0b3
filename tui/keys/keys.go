// Package keys holds jiffy's key bindings. Every action of every view is
// declared once in the registry (registry.go); the keymap in force (Map: the
// defaults with the config's [keys] laid over them) hands each view fresh
// key.Bindings by action name, so a view may disable a binding without
// touching anyone else's, and help, `jiffy keys` and the user commands' clash
// check read the same table. Each view also has a pure key -> action
// function, tested table-driven, so Update only decides what an action means
// in the current state.
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

// NewGlobal returns the global bindings of km (nil: the defaults).
func NewGlobal(km *Map) Global {
	return Global{
		Quit:     km.Binding("global.quit"),
		Help:     km.Binding("global.help"),
		Find:     km.Binding("global.find"),
		Profiles: km.Binding("global.profiles"),
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
func Branch(km *Map) key.Binding { return km.Binding("global.branch") }

// ForceQuit is the one binding that works even inside text inputs.
func ForceQuit(km *Map) key.Binding { return km.Binding("global.force_quit") }

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

// NewList returns the issue list's bindings from km (nil: the defaults).
func NewList(km *Map) List {
	g := NewGlobal(km)
	return List{
		Up:          km.Binding("list.up"),
		Down:        km.Binding("list.down"),
		Top:         km.Binding("list.top"),
		Bottom:      km.Binding("list.bottom"),
		HalfUp:      km.Binding("list.half_up"),
		HalfDown:    km.Binding("list.half_down"),
		PageUp:      km.Binding("list.page_up"),
		PageDown:    km.Binding("list.page_down"),
		Open:        km.Binding("list.open"),
		Filter:      km.Binding("list.filter"),
		ClearFilter: km.Binding("list.clear_filter"),
		JQL:         km.Binding("list.jql"),
		NextTab:     km.Binding("list.next_tab"),
		PrevTab:     km.Binding("list.prev_tab"),
		Tab:         km.Binding("list.tab"),
		Refresh:     km.Binding("list.refresh"),
		Browser:     km.Binding("list.browser"),
		CopyKey:     km.Binding("list.copy_key"),
		CopyURL:     km.Binding("list.copy_url"),
		Preview:     km.Binding("list.preview"),
		PreviewDown: km.Binding("list.preview_down"),
		PreviewUp:   km.Binding("list.preview_up"),
		Toggle:      km.Binding("list.select"),
		Range:       km.Binding("list.range"),
		All:         km.Binding("list.select_all"),
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
	if filtering {
		k.ClearFilter.SetHelp(k.ClearFilter.Help().Key, "clear filter")
	} else if selecting {
		k.ClearFilter.SetHelp(k.ClearFilter.Help().Key, "clear selection")
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

// TabNumber is the tab a key of k.Tab names (1-based), or 0.
func TabNumber(k List, msg tea.KeyPressMsg) int { return Nth(k.Tab, msg) }

// Prompt are the bindings of a one-line prompt (the JQL prompt, the filter).
type Prompt struct {
	Submit, Cancel, Prev, Next key.Binding
}

// NewPrompt returns the JQL prompt's bindings from km (nil: the defaults).
func NewPrompt(km *Map) Prompt {
	return Prompt{
		Submit: km.Binding("jql.run"),
		Cancel: km.Binding("jql.cancel"),
		Prev:   km.Binding("jql.older"),
		Next:   km.Binding("jql.newer"),
	}
}

// NewFilter returns the list filter's bindings (while it is typed in):
// enter keeps it, esc clears it, up and down move the cursor.
func NewFilter(km *Map) Prompt {
	return Prompt{
		Submit: km.Binding("filter.done"),
		Cancel: km.Binding("filter.clear"),
		Prev:   km.Binding("filter.up"),
		Next:   km.Binding("filter.down"),
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
// is taller than the screen. Its filter has the focus, so none of them
// types a character.
type Help struct {
	Close            key.Binding
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// NewHelp returns the help screen's bindings from km (nil: the
// defaults), without any key that types (the filter's).
func NewHelp(km *Map) Help {
	b := func(name string) key.Binding { return ForInput(km.Binding(name), false) }
	return Help{
		Close:    b("help.close"),
		Up:       b("help.up"),
		Down:     b("help.down"),
		PageUp:   b("help.page_up"),
		PageDown: b("help.page_down"),
		Top:      b("help.top"),
		Bottom:   b("help.bottom"),
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

// NewActions returns the triage bindings from km (nil: the defaults).
func NewActions(km *Map) Actions {
	return Actions{
		Transition: km.Binding("triage.transition"),
		Assign:     km.Binding("triage.assign"),
		AssignMe:   km.Binding("triage.assign_me"),
		Comment:    km.Binding("triage.comment"),
		Edit:       km.Binding("triage.edit"),
		Labels:     km.Binding("triage.labels"),
		Create:     km.Binding("triage.create"),
	}
}

// ForSelection returns the keymap for a list with issues selected: the
// actions that work on many issues at once, named so.
func (k Actions) ForSelection() Actions {
	k.Transition.SetHelp(k.Transition.Help().Key, "transition selected")
	k.Assign.SetHelp(k.Assign.Help().Key, "assign selected")
	k.AssignMe.SetHelp(k.AssignMe.Help().Key, "assign selected to me")
	k.Labels.SetHelp(k.Labels.Help().Key, "label selected")
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
