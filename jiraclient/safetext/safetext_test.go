package safetext

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Payload carries one sample of every escape family jiffy must keep from the
// terminal; tests elsewhere push it through every field Jira sends.
const payload = "a\x1b[2Jb\x1b]0;title\x07c\x1b]52;c;ZXZpbA==\x07d\x1b]8;;https://evil.example\x1b\\e\x1bP+q544e\x1b\\f\x1b_tmux\x1b\\g\u009b31mh\u0085i\u202ej\u2066k\u200bl\u200em\ufeffn\U000e0041o\rp\x00q\x7fr"

func TestTextRemovesEveryFamily(t *testing.T) {
	got := Text(payload)
	want := "a[2Jb]0;titlec]52;c;ZXZpbA==d]8;;https://evil.example\\e" + "P+q544e\\f_tmux\\g31mhijklmno\npqr"
	if got != want {
		t.Fatalf("Text(payload)\n got %q\nwant %q", got, want)
	}
	if Unsafe(got) || !Unsafe(payload) {
		t.Fatal("Unsafe disagrees with Text")
	}
}

func TestTextCases(t *testing.T) {
	for _, c := range []struct{ in, text, line string }{
		{"plain", "plain", "plain"},
		{"two\nlines\tand tab", "two\nlines\tand tab", "two lines and tab"},
		{"crlf\r\nline\rcr", "crlf\nline\ncr", "crlf line cr"},
		{"日本語 ✓", "日本語 ✓", "日本語 ✓"},
		{"👩\u200d💻 dev", "👩\u200d💻 dev", "👩\u200d💻 dev"},       // emoji sequence keeps its joiner
		{"❤\ufe0f\u200d🔥", "❤\ufe0f\u200d🔥", "❤\ufe0f\u200d🔥"}, // after VS16
		{"HOS\u200d-2", "HOS-2", "HOS-2"},                      // joiner between letters goes
		{"x\u200d", "x", "x"},                                  // trailing joiner goes
		{"bad\xffutf8", "bad\ufffdutf8", "bad\ufffdutf8"},      // invalid bytes shown
		{"sep\u2028par\u2029", "sep\npar\n", "sep par "},       // separators are line breaks
		{"\u0627\u061c\u0628", "\u0627\u0628", "\u0627\u0628"}, // Arabic letter mark
		{"nbsp\u00a0ok", "nbsp\u00a0ok", "nbsp\u00a0ok"},       // U+00A0 is not C1
	} {
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
	}
}

func TestCleanJSON(t *testing.T) {
	in, _ := json.Marshal(map[string]any{
		"summary": payload,
		"name":    "plain",
		"uni":     "日本語 👩\u200d💻",
		"list":    []any{"ok", "x\u202ey", 3, nil, true},
		"nested":  map[string]any{"k\u200bey": "v\x1b[31m"},
		"esc\\\"": `quote " and \ backslash` + "\x1b",
	})
	out := CleanJSON(in)
	var got, want map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("CleanJSON broke the JSON: %v\n%s", err, out)
	}
	_ = json.Unmarshal(in, &want)
	walkClean(&want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CleanJSON\n got %v\nwant %v", got, want)
	}
	if strings.Contains(string(out), `\u001b`) || strings.Contains(string(out), "\u202e") {
		t.Fatalf("escape left in %s", out)
	}
	clean := []byte(`{"a":"日本語","b":[1,2,"x\"y\\n"],"c":"line\nbreak"}`)
	if o := CleanJSON(clean); &o[0] != &clean[0] {
		t.Error("clean JSON was copied")
	}
	for _, broken := range []string{`{"a":"unterminated`, `"\u00`, `<html>"x"</html>`, ``, `"\`} {
		_ = CleanJSON([]byte(broken)) // must not panic
	}
}

// walkClean applies Text to every string (keys included) of a decoded value.
func walkClean(v *map[string]any) {
	var w func(x any) any
	w = func(x any) any {
		switch x := x.(type) {
		case string:
			return Text(x)
		case []any:
			for i := range x {
				x[i] = w(x[i])
			}
			return x
		case map[string]any:
			m := map[string]any{}
			for k, v := range x {
				m[Text(k)] = w(v)
			}
			return m
		}
		return x
	}
	*v = w(*v).(map[string]any)
}

func FuzzCleanJSON(f *testing.F) {
	f.Add([]byte(`{"a":"\u001b[2J","b":["\u202e",1]}`))
	f.Add([]byte(`"x\u200dy"`))
	f.Add([]byte("\"\xc2\x9b\""))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := CleanJSON(data)
		var in any
		if json.Unmarshal(data, &in) != nil {
			return
		}
		var got any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("valid JSON %q became invalid %q: %v", data, out, err)
		}
		var check func(x any)
		check = func(x any) {
			switch x := x.(type) {
			case string:
				if Unsafe(x) {
					t.Fatalf("unsafe string %q left in %q", x, out)
				}
			case []any:
				for _, e := range x {
					check(e)
				}
			case map[string]any:
				for k, e := range x {
					check(k)
					check(e)
				}
			}
		}
		check(got)
	})
}

func BenchmarkCleanJSONClean(b *testing.B) {
	page := []byte(strings.Repeat(`{"key":"ABC-1","fields":{"summary":"Fix the thing – naïve café","description":"line\nline"}},`, 2000))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		CleanJSON(page)
	}
}

func BenchmarkCleanJSONHostile(b *testing.B) {
	s, _ := json.Marshal(payload)
	page := []byte(strings.Repeat(`{"summary":`+string(s)+`},`, 2000))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		CleanJSON(page)
	}
}
func TestJSON(t *testing.T) {
	in := []byte("{\"s\":\"a\u202eb\u200bc\x7f\u009b d\xff é\"}")
	want := `{"s":"a\u202eb\u200bc\u007f\u009b d\ufffd é"}`
	if got := string(JSON(in)); got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	var v, w map[string]string
	if err := json.Unmarshal(in, &v); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(JSON(in), &w); err != nil || v["s"] != w["s"] {
		t.Errorf("meaning changed: %q vs %q (%v)", v["s"], w["s"], err)
	}
}
