// Package gfm is goldmark's GitHub Flavored Markdown extensions (tables,
// strikethrough, task lists, linkify) and definition lists, copied from
// github.com/yuin/goldmark v1.7.8's extension package (MIT, LICENSE) so
// that their regular expressions are compiled on first use: the extension
// package compiles them at package init, about 3 ms at every start of
// jiffy (the linkify patterns' {1,256} repeats most of it), though a start
// parses no Markdown. README.md lists what changed. The node kinds are
// still goldmark's own (github.com/yuin/goldmark/extension/ast), so
// renderers that switch on them are unchanged.
package gfm
