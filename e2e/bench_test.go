package e2e

import (
	"io"
	"net/http"
	"syscall"
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
	cpu := processCPU()
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
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// processCPU is the user and system CPU time the process has used. Per request it is the steadier figure on
// a shared machine: wall time per request moves with whatever else runs, CPU time much less.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
