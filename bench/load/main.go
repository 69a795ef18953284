// Command load sends requests to a Sluice server from a number of concurrent workers for a fixed time
// and reports requests per second and latency percentiles. Signed modes sign every request afresh (new
// nonce, current time), as an SDK does.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -mode healthz -c 16 -d 10s
//	go run ./bench/load -mode roa-list -key ID -secret SECRET
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/envvar"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server URL")
	mode := flag.String("mode", "healthz", "healthz | roa-list (MaxCompute ListProjects, ACS3) | rpc-list (DataWorks ListProjects, HMAC-SHA1) | rpc (any RPC action, see -params)")
	rpcParams := flag.String("params", "", "with -mode rpc: the action's parameters as a query string, e.g. Action=ListFiles&Version=2020-05-18&ProjectId=10000")
	conc := flag.Int("c", 16, "concurrent workers")
	dur := flag.Duration("d", 10*time.Second, "duration")
	warm := flag.Duration("warmup", time.Second, "warm-up before measuring")
	key := flag.String("key", os.Getenv(envvar.AccessKeyID), "access key id for signed modes")
	secret := flag.String("secret", os.Getenv(envvar.AccessKeySecret), "access key secret for signed modes")
	asJSON := flag.Bool("json", false, "print the result as JSON")
	flag.Parse()

	newReq, err := requestMaker(*mode, strings.TrimSuffix(*base, "/"), *key, *secret, *rpcParams)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}}

	run := func(d time.Duration, record bool) (n, errs int64, lat []time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var mu sync.Mutex
		var wg sync.WaitGroup
		var total, failed atomic.Int64
		for i := 0; i < *conc; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				for ctx.Err() == nil {
					req := newReq()
					start := time.Now()
					resp, err := client.Do(req)
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					if ctx.Err() != nil {
						break
					}
					total.Add(1)
					if err != nil || resp.StatusCode != 200 {
						if failed.Add(1) == 1 && err == nil {
							fmt.Fprintf(os.Stderr, "load: first failure: HTTP %d\n", resp.StatusCode)
						}
						continue
					}
					if record {
						mine = append(mine, time.Since(start))
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		return total.Load(), failed.Load(), lat
	}
	run(*warm, false)
	n, errs, lat := run(*dur, true)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	res := map[string]any{"mode": *mode, "concurrency": *conc, "seconds": dur.Seconds(), "requests": n, "errors": errs,
		"rps": float64(n) / dur.Seconds(), "p50_ms": pct(.5), "p99_ms": pct(.99)}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(res)
		return
	}
	fmt.Printf("%-9s c=%d  %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d\n", *mode, *conc, res["rps"], res["p50_ms"], res["p99_ms"], errs)
}

// requestMaker returns a function that builds one request of the mode.
func requestMaker(mode, base, key, secret, rpcParams string) (func() *http.Request, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if mode != "healthz" && (key == "" || secret == "") {
		return nil, fmt.Errorf("mode %s needs -key and -secret", mode)
	}
	switch mode {
	case "healthz":
		return func() *http.Request {
			req, _ := http.NewRequest("GET", base+"/healthz", nil)
			return req
		}, nil
	case "roa-list":
		return func() *http.Request {
			req, _ := http.NewRequest("GET", base+"/api/v1/projects?maxItem=10", nil)
			req.Header.Set("x-acs-action", "ListProjects")
			req.Header.Set("x-acs-version", "2022-01-04")
			req.Header.Set("accept", "application/json")
			auth.SignACS3(req, nil, key, secret, time.Now(), "")
			return req
		}, nil
	case "rpc-list", "rpc":
		fixed := url.Values{"Action": {"ListProjects"}, "Version": {"2020-05-18"}, "PageSize": {"10"}}
		if mode == "rpc" {
			if fixed, err = url.ParseQuery(rpcParams); err != nil || fixed.Get("Action") == "" {
				return nil, fmt.Errorf("-params %q: want a query string with Action and Version", rpcParams)
			}
		}
		return func() *http.Request {
			params := url.Values{}
			for k, v := range fixed {
				params[k] = v
			}
			auth.SignRPC("GET", params, key, secret, time.Now(), "")
			req, _ := http.NewRequest("GET", base+"/?"+params.Encode(), nil)
			req.Host = u.Host
			return req
		}, nil
	}
	return nil, fmt.Errorf("unknown mode %q", mode)
}
