package account

import (
	"context"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// BenchmarkVerify is a whole login check against a loopback Jira: detect
// the flavour, then myself (Cloud: 2 requests; Data Center: 3, the version
// is asked for the screen).
func BenchmarkVerify(b *testing.B) {
	for _, fl := range []string{"cloud", "dc"} {
		b.Run(fl, func(b *testing.B) {
			s := newSite(b, fl, "")
			in := VerifyInput{URL: s.URL(), Email: testEmail, Token: cloudToken}
			if fl == "dc" {
				in.Token = dcPAT
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := Verify(context.Background(), in)
				if err != nil || res.Flavor == jiraclient.FlavorUnknown {
					b.Fatal(err)
				}
			}
		})
	}
}
