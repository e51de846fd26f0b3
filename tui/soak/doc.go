// Package soak holds jiffy's proof under load: a fault soak that drives the
// real root model in a real Bubble Tea program against fakejira while the
// server drops connections, rate-limits and answers with HTML; security
// checks over every rendered screen; and end-to-end benchmarks (launch to
// first list, frames and memory with 10,000 issues, requests per action).
// Everything is in the tests; this file only names the package.
package soak
