package safetext

import (
	"encoding/json"
	"testing"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain ABC-1 summary":                     "plain ABC-1 summary",
		"two\nlines\tand a tab":                   "two\nlines\tand a tab",
		"\x1b]52;c;ZXZpbA==\x07title":             "]52;c;ZXZpbA==title",
		"red \x1b[31mtext\x1b[0m":                 "red [31mtext[0m",
		"csi \u009b31m one byte":                  "csi 31m one byte",
		"cr\rover":                                "crover",
		"bell\x07 del\x7f":                        "bell del",
		"abc\u202edcba\u202c":                     "abcdcba",
		"iso\u2066late\u2069":                     "isolate",
		"zero\u200bwidth\u200d\ufeff":             "zerowidth",
		"bad \xff utf8":                           "bad \uFFFD utf8",
		"Ünïcode café 日本":                         "Ünïcode café 日本",
		"emoji 👩‍💻 keeps its joiner? no: dropped": "emoji 👩💻 keeps its joiner? no: dropped",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	f.Add("a\x1b[2Jb\u202e\u200b")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if drop(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, out, r)
			}
		}
		if Clean(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
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
