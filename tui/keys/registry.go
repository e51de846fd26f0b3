package keys

// The keymap registry: every action of every view, declared once, here.
//
// An action has a name ("list.down": its view, a dot, the action), its
// default keys, the words help shows, and how help writes the default keys
// when they are not rebound ("↑/k"). Views never name keys themselves: they
// ask the Map in common.Common for the binding of an action
// (Map.Binding("list.down")), so help, the config's [keys] table, `jiffy
// keys` and the user commands' clash check all read the same table.
//
// Adding a view is one step: write its table (a View literal) below and
// append it to registry(). Its keymap struct then fills each field with
// c.Keys.Binding("view.action"). Two actions of one view may not share a
// key (TestNoKeySharedInAView), nor may a view's keys meet those of the
// views it lists in With (the global keys, the triage keys) unless the
// view is a text input and the key types a character. Actions that are
// never live together (the states of one overlay: esc means "back" in a
// list and "close" at the top) say so in Apart; that is the only way two
// actions of one view share a key.

// ActionDef declares one thing a key does in one view.
type ActionDef struct {
	// Name is "view.action", the name [keys] in the config rebinds.
	Name string
	// Keys are the default keys, as Bubble Tea names them ("j", "down",
	// "ctrl+s", "shift+tab", "space").
	Keys []string
	// Help is what help says the action does.
	Help string
	// Label is how help writes the default keys ("↑/k"); "" writes the
	// first key; "-" shows no key (the second of a pair shown as one).
	Label string
	// Apart are actions of the same view never live at the same time as
	// this one (another state of the view): they may share keys with it.
	Apart []string
}

// View is one registered view: a screen, an overlay or a state of one,
// whose actions are live together.
type View struct {
	// Name is the prefix of its actions' names.
	Name string
	// Title heads its section in help and in `jiffy keys`.
	Title string
	// Input says a text input has the focus in this view: a key that types
	// a character is text there, so the With views' text keys are not live.
	Input bool
	// With are the other views (or single actions, "global.help") whose
	// keys are live while this view has the focus.
	With []string
	// Actions are the view's actions, in help's order.
	Actions []ActionDef
}

func act(name string, keys []string, help string) ActionDef {
	return ActionDef{Name: name, Keys: keys, Help: help}
}

func labelled(a ActionDef, label string) ActionDef { a.Label = label; return a }

func apart(a ActionDef, others ...string) ActionDef { a.Apart = others; return a }

func ks(k ...string) []string { return k }

var digits = ks("1", "2", "3", "4", "5", "6", "7", "8", "9")

// registry is every view's table, in the order help and `jiffy keys` list
// them. A new view adds its table here.
func registry() []View {
	return []View{
		globalView, triageView, listView, filterView, jqlView, detailView, helpView, loginView,
		pickerView, editorView, choiceView, quitGuardView, watchersView, worklogView, linksView,
		attachmentsView, fieldsView, findView, resultView, profilesView, boardView, boardPickerView,
	}
}

// The root's own keys. Quit is live in the list only (q is back in the
// detail); help, search and ctrl+c everywhere.
var globalView = View{Name: "global", Title: "Everywhere", Actions: []ActionDef{
	act("global.quit", ks("q"), "quit"),
	act("global.force_quit", ks("ctrl+c"), "quit (also while typing)"),
	labelled(act("global.help", ks("?", "f1"), "help"), "?"),
	act("global.find", ks("ctrl+f"), "search seen issues"),
	act("global.branch", ks("B"), "open the git branch's issue"),
	act("global.profiles", ks("P"), "switch profile (site, user)"),
	act("global.boards", ks("b"), "boards"),
}}

// The triage keys: on the highlighted issue (or the selection) in the list
// and on the issue shown in the detail. The root handles them.
var triageView = View{Name: "triage", Title: "On the issue", Actions: []ActionDef{
	act("triage.transition", ks("t"), "transition"),
	act("triage.assign", ks("a"), "assign"),
	act("triage.assign_me", ks("i"), "assign to me"),
	act("triage.comment", ks("c"), "comment"),
	act("triage.edit", ks("e"), "edit any field"),
	act("triage.labels", ks("l"), "labels"),
	act("triage.create", ks("C"), "create issue"),
}}

var listView = View{Name: "list", Title: "Issue list", With: []string{"global", "triage"}, Actions: []ActionDef{
	labelled(act("list.up", ks("k", "up"), "up"), "↑/k"),
	labelled(act("list.down", ks("j", "down"), "down"), "↓/j"),
	labelled(act("list.top", ks("g", "home"), "first"), "g/home"),
	labelled(act("list.bottom", ks("G", "end"), "last"), "G/end"),
	act("list.half_up", ks("ctrl+u"), "half page up"),
	act("list.half_down", ks("ctrl+d"), "half page down"),
	act("list.page_up", ks("pgup"), "page up"),
	labelled(act("list.page_down", ks("pgdown"), "page down"), "pgdn"),
	act("list.open", ks("enter"), "open"),
	act("list.filter", ks("/"), "filter"),
	act("list.clear_filter", ks("esc"), "clear filter or selection"),
	labelled(act("list.jql", ks(":", "J"), "JQL"), ":/J"),
	act("list.next_tab", ks("tab"), "next tab"),
	act("list.prev_tab", ks("shift+tab"), "previous tab"),
	labelled(act("list.tab", digits, "go to tab"), "1-9"),
	act("list.refresh", ks("r"), "refresh"),
	act("list.browser", ks("o"), "open in browser"),
	act("list.copy_key", ks("y"), "copy key"),
	act("list.copy_url", ks("Y"), "copy URL"),
	act("list.preview", ks("p"), "preview"),
	act("list.preview_down", ks("ctrl+j", "alt+j"), "scroll preview down"),
	act("list.preview_up", ks("ctrl+k", "alt+k"), "scroll preview up"),
	act("list.select", ks("space"), "select"),
	act("list.range", ks("V"), "select range"),
	act("list.select_all", ks("*"), "select all loaded"),
}}

// The list's filter while it is typed in.
var filterView = View{Name: "filter", Title: "List filter (typing)", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	act("filter.done", ks("enter"), "keep the filter"),
	act("filter.clear", ks("esc"), "clear the filter"),
	labelled(act("filter.up", ks("up", "ctrl+p"), "up"), "↑"),
	labelled(act("filter.down", ks("down", "ctrl+n"), "down"), "↓"),
}}

// The JQL prompt.
var jqlView = View{Name: "jql", Title: "JQL prompt", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	act("jql.run", ks("enter"), "run"),
	act("jql.cancel", ks("esc"), "cancel"),
	labelled(act("jql.older", ks("up", "ctrl+p"), "older query"), "↑"),
	labelled(act("jql.newer", ks("down", "ctrl+n"), "newer query"), "↓"),
}}

var detailView = View{Name: "detail", Title: "Issue", With: []string{"global.help", "global.find", "global.branch", "global.profiles", "global.boards", "global.force_quit", "triage"}, Actions: []ActionDef{
	labelled(act("detail.up", ks("up", "k"), "up"), "↑/k"),
	labelled(act("detail.down", ks("down", "j"), "down"), "↓/j"),
	act("detail.half_up", ks("ctrl+u"), "½ page up"),
	act("detail.half_down", ks("ctrl+d"), "½ page down"),
	act("detail.page_up", ks("pgup"), "page up"),
	labelled(act("detail.page_down", ks("pgdown"), "page down"), "pgdn"),
	act("detail.top", ks("g", "home"), "top"),
	act("detail.bottom", ks("G", "end"), "bottom"),
	labelled(act("detail.next_link", ks("tab", "]"), "next link"), "tab/]"),
	labelled(act("detail.prev_link", ks("shift+tab", "["), "previous link"), "shift+tab/["),
	act("detail.open", ks("enter"), "open link"),
	act("detail.next_issue", ks("n"), "next issue"),
	act("detail.prev_issue", ks("p"), "previous issue"),
	act("detail.reload", ks("r"), "reload"),
	act("detail.browser", ks("o"), "open in browser"),
	act("detail.copy_key", ks("y"), "copy key"),
	act("detail.copy_url", ks("Y"), "copy URL"),
	labelled(act("detail.back", ks("esc", "q", "backspace", "h"), "back"), "esc/q"),
	act("detail.edit_field", ks("E"), "edit summary & description"),
	act("detail.subtask", ks("S"), "new sub-task"),
	act("detail.epic", ks("ctrl+e"), "set epic / parent"),
	act("detail.watchers", ks("w"), "watchers, watch"),
	act("detail.log_work", ks("L"), "log work, worklogs"),
	act("detail.links", ks("K"), "add or remove links"),
	act("detail.attachments", ks("A"), "attachments: open, save, upload"),
}}

// The help screen: its filter has the focus, so every key that types a
// character filters; these scroll and close.
var helpView = View{Name: "help", Title: "Help", Input: true, With: []string{"global.force_quit"}, Actions: []ActionDef{
	labelled(act("help.close", ks("esc", "f1"), "close help (esc first clears the filter)"), "esc"),
	labelled(act("help.up", ks("up"), "scroll up"), "↑"),
	labelled(act("help.down", ks("down"), "scroll down"), "↓"),
	act("help.page_up", ks("pgup", "ctrl+u"), "page up"),
	labelled(act("help.page_down", ks("pgdown", "ctrl+d"), "page down"), "pgdn"),
	act("help.top", ks("home"), "top"),
	act("help.bottom", ks("end"), "bottom"),
}}

// The login form (and its keyring choice, where up/down move).
var loginView = View{Name: "login", Title: "Sign in", Input: true, With: []string{"global.force_quit"}, Actions: []ActionDef{
	act("login.submit", ks("enter"), "continue"),
	apart(act("login.next", ks("tab", "down"), "next field"), "login.up", "login.down"),
	apart(act("login.prev", ks("shift+tab", "up"), "previous field"), "login.up", "login.down"),
	apart(labelled(act("login.up", ks("up", "k", "shift+tab"), "up"), "↑/k"), "login.next", "login.prev"),
	apart(labelled(act("login.down", ks("down", "j", "tab"), "down"), "↓/j"), "login.next", "login.prev", "login.demo"),
	act("login.token_page", ks("ctrl+o"), "open token page"),
	apart(act("login.demo", ks("d"), "demo"), "login.down"),
	act("login.cancel", ks("esc"), "back"),
}}

// The transition, assign and label overlays (tui/action). esc is back in
// a list or form, close at the top, stop while a bulk action runs.
var pickerView = View{Name: "picker", Title: "Transition, assign, labels", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	act("picker.choose", ks("enter"), "choose"),
	labelled(act("picker.send", ks("ctrl+s", "ctrl+enter"), "send"), "ctrl+s"),
	labelled(act("picker.number", digits, "pick"), "1-9"),
	labelled(act("picker.up", ks("up", "ctrl+p"), "up"), "↑"),
	labelled(act("picker.down", ks("down", "ctrl+n"), "down"), "↓"),
	act("picker.page_up", ks("pgup"), "page up"),
	labelled(act("picker.page_down", ks("pgdown"), "page down"), "pgdn"),
	act("picker.next", ks("tab"), "next field"),
	act("picker.prev", ks("shift+tab"), "previous field"),
	act("picker.open", ks("space"), "list values"),
	act("picker.retry", ks("r"), "try again"),
	apart(act("picker.back", ks("esc"), "back"), "picker.close", "picker.stop"),
	apart(act("picker.stop", ks("esc"), "stop"), "picker.close", "picker.back"),
	apart(act("picker.close", ks("esc"), "close"), "picker.back", "picker.stop"),
}}

// The editors (tui/compose: comment, edit, create).
var editorView = View{Name: "editor", Title: "Editors", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("editor.send", ks("ctrl+s", "ctrl+enter"), "send"), "ctrl+s"),
	act("editor.editor", ks("ctrl+e"), "$EDITOR"),
	apart(act("editor.close", ks("esc"), "close (draft kept)"), "editor.back"),
	act("editor.discard", ks("ctrl+x"), "discard draft"),
	act("editor.yes", ks("y"), "yes, discard (when asked)"),
	apart(act("editor.next", ks("tab"), "next field"), "editor.choose"),
	act("editor.prev", ks("shift+tab"), "previous field"),
	apart(act("editor.pick", ks("enter", "space"), "choose"), "editor.choose", "editor.add_label", "editor.retype"),
	labelled(act("editor.up", ks("up", "ctrl+p"), "up"), "↑"),
	labelled(act("editor.down", ks("down", "ctrl+n"), "down"), "↓"),
	apart(act("editor.choose", ks("enter", "tab"), "insert"), "editor.pick", "editor.next", "editor.add_label", "editor.retype"),
	apart(act("editor.add_label", ks("enter"), "add the label"), "editor.pick", "editor.choose", "editor.retype"),
	apart(act("editor.drop_label", ks("backspace"), "remove the last label (empty field)"), "editor.erase"),
	apart(act("editor.erase", ks("backspace"), "erase (opens a typed field's editor)"), "editor.drop_label"),
	apart(act("editor.retype", ks("enter"), "type another person"), "editor.pick", "editor.choose", "editor.add_label"),
	act("editor.reload", ks("ctrl+r"), "take Jira's version"),
	act("editor.project", ks("ctrl+o"), "change project"),
	apart(act("editor.back", ks("esc"), "back"), "editor.close"),
}}

// A list of values opened from an editor's field (priority, a select).
var choiceView = View{Name: "choice", Title: "Value list", Input: true, With: []string{"global.force_quit"}, Actions: []ActionDef{
	act("choice.choose", ks("enter"), "choose"),
	labelled(act("choice.up", ks("up", "ctrl+p", "shift+tab"), "up"), "↑"),
	labelled(act("choice.down", ks("down", "ctrl+n", "tab"), "down"), "↓"),
	act("choice.back", ks("esc"), "back"),
}}

var quitGuardView = View{Name: "quitguard", Title: "Unsaved drafts at quit", Input: true, Actions: []ActionDef{
	act("quitguard.write", ks("enter"), "write them there and quit"),
	act("quitguard.stay", ks("esc"), "stay"),
	act("quitguard.quit", ks("ctrl+c"), "quit and lose them"),
}}

var watchersView = View{Name: "watchers", Title: "Watchers", With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	act("watchers.toggle", ks("w", "space"), "watch"),
	act("watchers.close", ks("esc", "q"), "close"),
}}

var worklogView = View{Name: "worklog", Title: "Log work", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	act("worklog.next", ks("tab", "down"), "next field"),
	act("worklog.prev", ks("shift+tab", "up"), "previous field"),
	act("worklog.submit", ks("enter", "ctrl+s"), "log work"),
	act("worklog.close", ks("esc"), "cancel"),
}}

var linksView = View{Name: "links", Title: "Links", With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("links.up", ks("up", "k"), "up"), "↑/k"),
	labelled(act("links.down", ks("down", "j"), "down"), "↓/j"),
	act("links.add", ks("a"), "add a link"),
	act("links.remove", ks("d", "delete"), "remove"),
	act("links.choose", ks("enter"), "choose"),
	act("links.close", ks("esc"), "close"),
}}

var attachmentsView = View{Name: "attachments", Title: "Attachments", With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("attachments.up", ks("up", "k"), "up"), "↑/k"),
	labelled(act("attachments.down", ks("down", "j"), "down"), "↓/j"),
	apart(act("attachments.open", ks("enter", "o"), "open"), "attachments.submit"),
	act("attachments.save", ks("s"), "save to…"),
	act("attachments.upload", ks("u"), "upload a file"),
	act("attachments.delete", ks("d", "delete"), "delete"),
	apart(act("attachments.submit", ks("enter"), "save"), "attachments.open"),
	act("attachments.close", ks("esc"), "close"),
}}

var fieldsView = View{Name: "fields", Title: "Edit a field", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("fields.up", ks("up", "ctrl+p"), "move"), "↑/↓"),
	labelled(act("fields.down", ks("down", "ctrl+n"), "move down"), "-"),
	act("fields.toggle", ks("tab", "shift+tab"), "choose or drop"),
	act("fields.choose", ks("enter"), "choose"),
	act("fields.back", ks("esc"), "back"),
}}

var findView = View{Name: "find", Title: "Search seen issues", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("find.up", ks("up", "ctrl+p"), "previous"), "↑"),
	labelled(act("find.down", ks("down", "ctrl+n"), "next"), "↓"),
	act("find.open", ks("enter"), "open"),
	act("find.close", ks("esc"), "close"),
}}

// A bulk action's summary: any key closes it and then acts; these only
// close (q would quit).
var resultView = View{Name: "result", Title: "Result box", Actions: []ActionDef{
	labelled(act("result.close", ks("enter", "esc", "space", "q"), "only close the result"), "enter/esc"),
}}

// The profile picker (tui/profiles).
var profilesView = View{Name: "profiles", Title: "Profiles", With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("profiles.up", ks("up", "k"), "previous"), "↑/k"),
	labelled(act("profiles.down", ks("down", "j"), "next"), "↓/j"),
	act("profiles.pick", ks("enter"), "switch to it"),
	act("profiles.close", ks("esc", "q", "P"), "close"),
}}

// The agile board (tui/board): the triage keys work on the highlighted
// card, but labels move to # (l is "next column" here).
var boardView = View{Name: "board", Title: "Board", With: []string{"global.help", "global.find", "global.profiles", "global.boards", "global.force_quit",
	"triage.transition", "triage.assign", "triage.assign_me", "triage.comment", "triage.edit", "triage.create"}, Actions: []ActionDef{
	labelled(act("board.left", ks("h", "left"), "previous column"), "h/←"),
	labelled(act("board.right", ks("l", "right"), "next column"), "l/→"),
	labelled(act("board.up", ks("k", "up"), "card above"), "k/↑"),
	labelled(act("board.down", ks("j", "down"), "card below"), "j/↓"),
	labelled(act("board.top", ks("g", "home"), "first card"), "g"),
	labelled(act("board.bottom", ks("G", "end"), "last card"), "G"),
	labelled(act("board.move_left", ks("H", "<"), "move card to previous column"), "H/<"),
	labelled(act("board.move_right", ks("L", ">"), "move card to next column"), "L/>"),
	act("board.rank_up", ks("K"), "rank card up"),
	act("board.rank_down", ks("J"), "rank card down"),
	act("board.open", ks("enter"), "open card"),
	act("board.select", ks("space"), "select"),
	act("board.lanes", ks("s"), "swimlanes: none/assignee/epic"),
	act("board.mine", ks("M"), "only my issues"),
	act("board.filter", ks("/"), "filter cards"),
	act("board.sprints", ks("S"), "sprints"),
	act("board.move_sprint", ks("m"), "move to sprint/backlog"),
	act("board.backlog", ks("v"), "backlog / sprint"),
	act("board.labels", ks("#"), "labels"),
	act("board.refresh", ks("r"), "refresh"),
	labelled(act("board.back", ks("esc", "q"), "back to the list"), "esc/q"),
	act("board.epic", ks("ctrl+e"), "set epic / parent"),
}}

// The board, sprint and epic pickers (typing filters).
var boardPickerView = View{Name: "boardpicker", Title: "Board, sprint and epic pickers", Input: true, With: []string{"global.help", "global.force_quit"}, Actions: []ActionDef{
	labelled(act("boardpicker.up", ks("up", "ctrl+p"), "previous"), "↑"),
	labelled(act("boardpicker.down", ks("down", "ctrl+n"), "next"), "↓"),
	act("boardpicker.choose", ks("enter"), "choose"),
	act("boardpicker.close", ks("esc"), "close"),
}}
