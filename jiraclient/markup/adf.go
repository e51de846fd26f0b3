// Package markup converts issue text between the three forms jiffy meets:
// Atlassian Document Format (ADF, the JSON tree Jira Cloud's REST v3 uses for
// descriptions and comments), Jira wiki markup (the string Jira Data Center's
// REST v2 uses) and Markdown (what jiffy shows and what the user edits).
//
// ADF is the hub. Markdown is parsed with goldmark (GFM tables and
// strikethrough) into ADF; wiki markup is parsed by a hand-written parser into
// ADF; and both Markdown and wiki markup are rendered from ADF by walkers in
// this package. There is no maintained Go library for Jira wiki markup, so the
// wiki parser and renderer are written here and cover the constructs Jira
// users actually type (headings, emphasis, lists, tables, links, mentions,
// {code}, {noformat}, {quote}, {panel} and its {info}/{note}/{warning}/{tip}
// variants, {color}).
//
// Markdown conventions that carry Jira-only constructs:
//   - a mention is a link with the mention: scheme, [@Ada Lovelace](mention:ID);
//   - a panel is a blockquote whose first words are a bold label, > **Note:** ...;
//     such a blockquote parses back into a panel of that type;
//   - an inline card is an autolink, <https://...>;
//   - dates and status lozenges are inline code, emoji are their Unicode text,
//     media are "[attachment: name]"; those three do not come back as nodes.
//
// Every function is pure and never panics on bad input; unknown ADF nodes
// survive decode/encode untouched and degrade to their text in Markdown.
package markup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Node is one node of an Atlassian Document Format tree. The zero-config
// field set mirrors ADF's JSON exactly, so a document decoded with ParseADF and
// encoded again with encoding/json keeps node types and attributes this
// package does not understand.
type Node struct {
	Type    string         `json:"type"`
	Version int            `json:"version,omitempty"`
	Attrs   map[string]any `json:"attrs,omitempty"`
	Content []*Node        `json:"content,omitempty"`
	Text    string         `json:"text,omitempty"`
	Marks   []Mark         `json:"marks,omitempty"`
}

// Mark is an ADF text mark (strong, em, strike, code, link, underline,
// textColor, subsup, ...).
type Mark struct {
	Type  string         `json:"type"`
	Attrs map[string]any `json:"attrs,omitempty"`
}

// ParseADF decodes an ADF document. JSON null and empty input give an empty
// document, because Jira sends "description": null for an issue without one.
// Anything that is not a JSON object whose type is "doc" is an error saying
// what was found, so a caller that got wiki markup (a JSON string) from a v2
// endpoint learns to use WikiToMarkdown instead.
func ParseADF(raw []byte) (*Node, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return emptyDoc(), nil
	}
	switch raw[0] {
	case '{':
	case '"':
		return nil, fmt.Errorf("not an Atlassian Document Format document: got a JSON string (wiki markup from a REST v2 endpoint?); convert it with WikiToMarkdown instead")
	default:
		return nil, fmt.Errorf("not an Atlassian Document Format document: got JSON %s, want an object with \"type\": \"doc\"", jsonKind(raw[0]))
	}
	var doc Node
	if err := json.Unmarshal(raw, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("not a valid Atlassian Document Format document: %w", err)
		}
		// A node or mark that is not an object (a number, a string, a
		// list inside "content"): skip it, not the whole document.
		doc = Node{}
		if err := parseSkippingBadNodes(raw, &doc); err != nil {
			return nil, fmt.Errorf("not a valid Atlassian Document Format document: %w", err)
		}
	}
	if doc.Type != "doc" {
		return nil, fmt.Errorf("not an Atlassian Document Format document: top-level node has type %q, want \"doc\"", doc.Type)
	}
	doc.Content = dropNil(doc.Content)
	return &doc, nil
}

func jsonKind(c byte) string {
	switch {
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "boolean"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	default:
		return "value starting with " + strconv.QuoteRune(rune(c))
	}
}

// dropNil removes null entries ("content":[null]) recursively so the walkers
// never meet a nil child.
func dropNil(nodes []*Node) []*Node {
	out := nodes[:0]
	for _, n := range nodes {
		if n == nil {
			continue
		}
		n.Content = dropNil(n.Content)
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// parseSkippingBadNodes decodes raw with every element of a "content" or
// "marks" list that is not a JSON object dropped. It is the slow path,
// taken only when the plain decode met such an element.
func parseSkippingBadNodes(raw []byte, doc *Node) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if l, ok := e.([]any); ok && (k == "content" || k == "marks") {
					kept := l[:0]
					for _, el := range l {
						if _, isObj := el.(map[string]any); isObj {
							kept = append(kept, el)
						}
					}
					x[k] = kept
				}
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, doc)
}

func emptyDoc() *Node { return &Node{Type: "doc", Version: 1, Content: []*Node{}} }

// attrString returns attrs[key] as a string, formatting numbers without a
// fraction, and "" when absent.
func (n *Node) attrString(key string) string {
	if n == nil || n.Attrs == nil {
		return ""
	}
	return anyString(n.Attrs[key])
}

func anyString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		return ""
	}
}

// attrInt returns attrs[key] as an int, or def when absent or not a number.
func (n *Node) attrInt(key string, def int) int {
	if n == nil || n.Attrs == nil {
		return def
	}
	switch v := n.Attrs[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		if i, err := strconv.Atoi(v); err == nil {
			return i
		}
	}
	return def
}

func (m Mark) attrString(key string) string {
	if m.Attrs == nil {
		return ""
	}
	return anyString(m.Attrs[key])
}

func hasMark(marks []Mark, typ string) bool {
	for _, m := range marks {
		if m.Type == typ {
			return true
		}
	}
	return false
}

func markOf(marks []Mark, typ string) (Mark, bool) {
	for _, m := range marks {
		if m.Type == typ {
			return m, true
		}
	}
	return Mark{}, false
}

// PlainText is the text a reader sees in n, without any markup: text nodes,
// mention and emoji text, card URLs, dates; blocks are separated by newlines.
// It is meant for previews and for checking that a conversion kept the words.
func PlainText(n *Node) string {
	var b strings.Builder
	plainText(&b, n)
	return strings.TrimSpace(b.String())
}

func plainText(b *strings.Builder, n *Node) {
	if n == nil {
		return
	}
	switch n.Type {
	case "text":
		b.WriteString(n.Text)
		return
	case "hardBreak":
		b.WriteByte('\n')
		return
	}
	if n.Text == "" && len(n.Content) == 0 {
		b.WriteString(inlineAtomText(n))
	}
	b.WriteString(n.Text)
	for _, c := range n.Content {
		plainText(b, c)
	}
	if isBlockType(n.Type) && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
		b.WriteByte('\n')
	}
}

// blockTypes are the ADF node types that stand on their own lines.
var blockTypes = map[string]bool{
	"doc": true, "paragraph": true, "heading": true, "bulletList": true, "orderedList": true,
	"listItem": true, "codeBlock": true, "blockquote": true, "panel": true, "table": true,
	"tableRow": true, "tableHeader": true, "tableCell": true, "rule": true, "mediaSingle": true,
	"mediaGroup": true, "expand": true, "nestedExpand": true, "taskList": true, "taskItem": true,
	"decisionList": true, "decisionItem": true, "blockCard": true, "embedCard": true,
	"extension": true, "bodiedExtension": true, "layoutSection": true, "layoutColumn": true,
	"multiBodiedExtension": true, "extensionFrame": true,
}

func isBlockType(t string) bool { return blockTypes[t] }

// MarshalJSON writes a node as ADF. It exists for one rule encoding/json's
// omitempty would break: a doc always carries "version" and "content", even
// when empty, or Jira rejects it.
func (n Node) MarshalJSON() ([]byte, error) {
	type plain Node // no methods: avoids recursion
	if n.Type != "doc" {
		return json.Marshal(plain(n))
	}
	content := n.Content
	if content == nil {
		content = []*Node{}
	}
	version := n.Version
	if version == 0 {
		version = 1
	}
	return json.Marshal(struct {
		Type    string         `json:"type"`
		Version int            `json:"version"`
		Attrs   map[string]any `json:"attrs,omitempty"`
		Content []*Node        `json:"content"`
	}{n.Type, version, n.Attrs, content})
}
