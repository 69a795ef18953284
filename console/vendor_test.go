package console

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
)

// The vendored libraries are exactly what web/vendor/fetch.sh took from the npm registry: a file edited by
// hand, added or left behind fails here.
func TestVendoredLibraries(t *testing.T) {
	sums, err := web.ReadFile("web/vendor/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(sums)))
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		listed[name] = true
		b, err := web.ReadFile("web/vendor/" + name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s differs from the npm package fetch.sh took it from: run web/vendor/fetch.sh", name)
		}
	}
	entries, _ := fs.ReadDir(web, "web/vendor")
	for _, e := range entries {
		if n := e.Name(); !listed[n] && n != "SHA256SUMS" && n != "fetch.sh" && n != "README.md" {
			t.Errorf("web/vendor/%s is not in SHA256SUMS", n)
		}
	}
}
