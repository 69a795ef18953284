// Command load sends requests to a Sluice server from a number of concurrent workers for a fixed time
// and reports requests per second and latency percentiles. Signed modes sign every request afresh (new
// nonce, current time), as an SDK does.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -mode healthz -c 16 -d 10s
//	go run ./bench/load -mode roa-list -key ID -secret SECRET
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/bench/internal/cputime"
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
	serverPID := flag.Int("server-pid", 0, "the server's process id: report its CPU time per request")
	dbComm := flag.String("db-comm", "", "report the CPU time per request of every process of this name (postgres)")
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
	before := sampleCPU(*serverPID, *dbComm)
	n, errs, lat := run(*dur, true)
	after := sampleCPU(*serverPID, *dbComm)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	res := map[string]any{"mode": *mode, "concurrency": *conc, "seconds": dur.Seconds(), "requests": n, "errors": errs,
		"rps": float64(n) / dur.Seconds(), "p50_ms": pct(.5), "p99_ms": pct(.99)}
	if n > 0 {
		res["client_cpu_us"] = (after.client - before.client).Seconds() * 1e6 / float64(n)
		if *serverPID > 0 {
			res["server_cpu_us"] = (after.server - before.server).Seconds() * 1e6 / float64(n)
		}
		if *dbComm != "" {
			res["db_cpu_us"] = (after.db - before.db).Seconds() * 1e6 / float64(n)
		}
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(res)
		return
	}
	fmt.Printf("%-9s c=%d  %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d", *mode, *conc, res["rps"], res["p50_ms"], res["p99_ms"], errs)
	for _, k := range []string{"client_cpu_us", "server_cpu_us", "db_cpu_us"} {
		if v, ok := res[k]; ok {
			fmt.Printf("  %s %.1f", k, v)
		}
	}
	fmt.Println()
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

// cpuSample is the CPU time (user and system) used so far by this process, the server and the database's
// processes. Taken around the measured run, it says what a request costs each side: the throughput of one
// machine shared by client and server is set by the sum.
type cpuSample struct{ client, server, db time.Duration }

func sampleCPU(serverPID int, dbComm string) cpuSample {
	s := cpuSample{client: cputime.Used()}
	if serverPID > 0 {
		s.server, _ = procCPU(serverPID)
	}
	if dbComm == "" {
		return s
	}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile("/proc/" + d.Name() + "/comm"); err == nil && strings.TrimSpace(string(comm)) == dbComm {
			t, _ := procCPU(pid) // a process that ends between the samples takes its time with it
			s.db += t
		}
	}
	return s
}

// procCPU returns a process's user and system time from /proc/PID/stat, in clock ticks of 1/100 s (Linux's
// USER_HZ on every architecture it runs on).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}
