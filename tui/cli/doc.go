// Package cli is jiffy's command line: parsing (flags and commands in any
// order, Go/Unix conventions, one-line errors and exit statuses) and the
// commands that are not the terminal UI: login --with-token, logout and
// status (over config/account), and the commands for scripts (list, view,
// transition, assign, comment, create, label) that print text, JSON or CSV.
//
// Why here, under tui/: this is jiffy's other face on the terminal. It
// presents (tables, the sanitising of everything printed from Jira), it
// reuses the terminal UI's validation rules (tui/action, tui/compose), and
// only main imports it, as the layout asks of tui/. It knows no Bubble Tea
// model: nothing here draws a screen or reads a key.
//
// Exit statuses: 0 ok, 1 Jira refused or failed (one line on stderr with
// the reason), 2 usage (one line naming what was not understood), 3 a login
// is needed or was refused.
package cli
