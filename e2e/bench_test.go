package e2e

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/sluicetest"
)

// BenchmarkHealthz is the baseline: an unauthenticated request through the same listener and middleware.
func BenchmarkHealthz(b *testing.B) {
	srv := sluicetest.NewServer(b)
	benchRequests(b, func() *http.Request {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		return req
	})
}

// BenchmarkSignedListProjects is MaxCompute ListProjects signed with ACS3, a fresh nonce each time.
func BenchmarkSignedListProjects(b *testing.B) {
	srv := sluicetest.NewServer(b)
	for _, name := range []string{"alpha_p", "beta_p", "gamma_p"} {
		if _, err := srv.Client().CreateProject(b.Context(), name, "", ""); err != nil {
			b.Fatal(err)
		}
	}
	benchRequests(b, func() *http.Request {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/projects?maxItem=10", nil)
		req.Header.Set("x-acs-action", "ListProjects")
		req.Header.Set("x-acs-version", "2022-01-04")
		auth.SignACS3(req, nil, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
		return req
	})
}

func benchRequests(b *testing.B, newReq func() *http.Request) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Do(newReq())
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("HTTP %d", resp.StatusCode)
				return
			}
		}
	})
}
