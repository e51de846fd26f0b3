// Package account is jiffy's sign-in logic, shared by the login screen
// (tui/login) and the `jiffy login | logout | status` commands: it checks a
// site and a token against Jira before anything is stored, explains a
// failure in terms of the field the user must fix, and then keeps the token
// in the keyring and the rest in the config file.
//
// It knows no terminal: every function takes a context, the config and a
// config.Store, and reports through return values (Status writes plain
// text to an io.Writer). A token passes through here on its way to the
// keyring and to jiraclient; it is never written to the config file, an
// error message, a log or the screen.
//
// Design notes:
//   - Verify before Save (as `gh auth login` does): a token that does not
//     work is never stored, so the keyring and the config file never hold
//     a half-finished login.
//   - Failures are diagnosed once, here, into a *VerifyError naming the
//     field at fault (URL, email or token) with the cause and the fix, so
//     the screen and the command line say the same thing.
//   - Cloud scoped API tokens (and service-account tokens) are refused on
//     the site URL and only work through the api.atlassian.com gateway.
//     When a Cloud login fails on the site, Verify retries once through the
//     gateway and, if that works, records the gateway as the profile's
//     APIBase.
package account
