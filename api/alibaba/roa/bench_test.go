package roa

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// BenchmarkListPackages: a signed ListPackages of a project with 10,000 packages through the served handler
// and its middleware, the whole answer read (bench/catalog measures the same through sluice serve).
func BenchmarkListPackages(b *testing.B) {
	e := newEnv(b)
	if _, err := e.svc.CreateProject(e.ctx, sluice.ProjectCreate{Name: "bench_pkgs"}); err != nil {
		b.Fatal(err)
	}
	var s strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&s, "create package p%05d;\n", i)
	}
	if _, err := e.cat.RunSQL(e.ctx, sluice.ProjectByName("bench_pkgs"), s.String()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v1/projects/bench_pkgs/packages", nil)
		req.Header.Set("x-acs-action", "ListPackages")
		req.Header.Set("x-acs-version", Version)
		auth.SignACS3(req, nil, e.root.ID, e.root.Secret, time.Now(), "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n < 10000*30 {
			b.Fatalf("ListPackages: %d, %d bytes", resp.StatusCode, n)
		}
	}
}
