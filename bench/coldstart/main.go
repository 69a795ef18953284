// Command coldstart measures how long `sluice serve` takes from exec to its first 200 on /healthz, with
// a fresh data directory each time (so the time includes creating the database, running the migrations and
// bootstrapping the root user), and the server's resident memory once it has idled.
//
//	go build -o /tmp/sluice ./cmd/sluice && go run ./bench/coldstart -bin /tmp/sluice -n 10
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	bin := flag.String("bin", "./sluice", "sluice binary")
	n := flag.Int("n", 10, "starts")
	idle := flag.Duration("idle", 3*time.Second, "idle time before reading RSS")
	database := flag.String("database", "", "database URL (default SQLite in the data dir)")
	asJSON := flag.Bool("json", false, "print the result as JSON")
	flag.Parse()

	var starts []time.Duration
	var rss []int
	for i := 0; i < *n; i++ {
		d, kb, err := once(*bin, *database, i == 0, *idle)
		if err != nil {
			fmt.Fprintln(os.Stderr, "coldstart:", err)
			os.Exit(1)
		}
		starts = append(starts, d)
		if kb > 0 {
			rss = append(rss, kb)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res := map[string]any{"starts": *n, "median_ms": ms(starts[len(starts)/2]), "min_ms": ms(starts[0]), "max_ms": ms(starts[len(starts)-1]), "idle_rss_kb": rss[0]}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(res)
		return
	}
	fmt.Printf("cold start to /healthz 200: median %.1f ms (min %.1f, max %.1f, n=%d); idle RSS %.1f MiB\n",
		res["median_ms"], res["min_ms"], res["max_ms"], *n, float64(rss[0])/1024)
}

// once starts the server on a free port with a fresh data directory; when measureRSS is set it also waits
// idle and reads VmRSS (KiB).
func once(bin, database string, measureRSS bool, idle time.Duration) (time.Duration, int, error) {
	dir, err := os.MkdirTemp("", "sluice-coldstart-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data")}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			return 0, 0, fmt.Errorf("no healthy server after 30 s:\n%s", out.String())
		}
		time.Sleep(500 * time.Microsecond)
	}
	elapsed := time.Since(start)
	if !measureRSS {
		return elapsed, 0, nil
	}
	time.Sleep(idle)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return elapsed, kb, nil
		}
	}
	return 0, 0, fmt.Errorf("no VmRSS in /proc status")
}
