// Command files is the ListFiles scale benchmark: gen loads a project of realistic files into a store, run
// measures FindFiles (the store API behind ListFiles) beside the raw SQL it issues, shape by shape.
//
//	go run ./bench/files gen -dsn /tmp/files.db -files 1000000 -meta /tmp/files.json
//	go run ./bench/files run -dsn /tmp/files.db -meta /tmp/files.json
//	go run ./bench/files write -dsn postgres://... -meta /tmp/files.json -iters 300 -label 0013
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/sqlstore"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: files gen|run|write -dsn DSN -meta FILE [-files N] [-iters N]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dsn := fs.String("dsn", "", "store DSN (SQLite path or postgres:// URL)")
	metaPath := fs.String("meta", "", "generator output: project, folders, owners, keywords")
	n := fs.Int("files", 1_000_000, "files to generate")
	projects := fs.Int("projects", 1, "gen: projects to spread the files over, alike; the first is measured")
	iters := fs.Int("iters", 200, "measurements per shape (keyword buckets: per bucket)")
	label := fs.String("label", "", "database label for the table")
	server := fs.String("url", "", "run: also time each call through this server's signed RPC ListFiles (a server on the same database)")
	key := fs.String("key", "", "with -url: access key id")
	secret := fs.String("secret", "", "with -url: access key secret")
	fs.Parse(os.Args[2:])
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "gen":
		err = generate(ctx, *dsn, *n, *projects, *metaPath)
	case "run":
		err = run(ctx, *dsn, *metaPath, *iters, *label, serverClient{url: *server, key: *key, secret: *secret})
	case "write":
		err = writes(ctx, *dsn, *metaPath, *iters, *label)
	case "sql":
		for _, q := range fs.Args() {
			if err = timeSQL(ctx, *dsn, q, *iters); err != nil {
				break
			}
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "files:", err)
		os.Exit(1)
	}
}

type shape struct {
	name    string
	filters func(i int) sluice.FileFilter
	matches string // match count, for the table
}

func run(ctx context.Context, dsn, metaPath string, iters int, label string, srv serverClient) error {
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return err
	}
	var meta Meta
	if err := json.Unmarshal(b, &meta); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(4)
	if label == "" {
		label = string(db.Dialect())
	}
	r := rand.New(rand.NewPCG(3, 4))
	pid := meta.ProjectID
	shapes := []shape{
		{"first page", func(int) sluice.FileFilter { return sluice.FileFilter{ProjectID: pid, Limit: 10} }, fmt.Sprint(meta.Files)},
		{"PageNumber 1000", func(int) sluice.FileFilter { return sluice.FileFilter{ProjectID: pid, Offset: 9990, Limit: 10} }, fmt.Sprint(meta.Files)},
		{"FileTypes + Owner", func(int) sluice.FileFilter {
			return sluice.FileFilter{ProjectID: pid, Types: []int{10}, Owner: meta.Owners[r.IntN(len(meta.Owners))], Limit: 10}
		}, "~2500"},
		{"FileTypes 10,6 + Owner", func(int) sluice.FileFilter {
			return sluice.FileFilter{ProjectID: pid, Types: []int{10, 6}, Owner: meta.Owners[r.IntN(len(meta.Owners))], Limit: 10}
		}, "~2900"},
		{"FileFolderPath", func(int) sluice.FileFilter {
			k := meta.FolderKeys[r.IntN(len(meta.FolderKeys))]
			return sluice.FileFilter{ProjectID: pid, FolderKey: &k, Limit: 10}
		}, "~100"},
	}
	byBucket := map[int][]Keyword{}
	for _, k := range meta.Keywords {
		byBucket[bucketOf(k.Count)] = append(byBucket[bucketOf(k.Count)], k)
	}
	for bi, name := range bucketNames {
		ks := byBucket[bi]
		if len(ks) == 0 {
			continue
		}
		var ex []string
		for _, k := range ks {
			ex = append(ex, fmt.Sprintf("%s(%d)", k.Text, k.Count))
		}
		fmt.Fprintf(os.Stderr, "keywords %s: %s\n", name, strings.Join(ex, " "))
		shapes = append(shapes, shape{"Keyword " + name, func(i int) sluice.FileFilter {
			return sluice.FileFilter{ProjectID: pid, Keyword: ks[i%len(ks)].Text, Limit: 10}
		}, name})
	}

	fmt.Printf("\n### %s: %d files, %d iterations per shape (first 10%% discarded as warm-up)\n\n", label, meta.Files, iters)
	if srv.url == "" {
		fmt.Println("| shape | matches | API p50 | API p99 | raw SQL p50 | raw SQL p99 | API/raw p99 |")
		fmt.Println("| --- | --- | --- | --- | --- | --- | --- |")
	} else {
		fmt.Println("| shape | matches | API p50 | API p99 | raw SQL p50 | raw SQL p99 | API/raw p99 | server p50 | server p99 | server/API p50 |")
		fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	}
	for _, s := range shapes {
		var api, rawT, served []time.Duration
		warm := iters / 10
		for i := 0; i < iters+warm; i++ {
			f := s.filters(i)
			t0 := time.Now()
			files, total, err := db.FindFiles(ctx, f)
			d := time.Since(t0)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			if f.Keyword != "" {
				if want := keywordCount(meta, f.Keyword); total != want {
					return fmt.Errorf("%s: keyword %q: total %d, want %d", s.name, f.Keyword, total, want)
				}
			}
			rd, rtotal, rn, err := rawQuery(ctx, db, raw, f)
			if err != nil {
				return fmt.Errorf("%s raw: %w", s.name, err)
			}
			if rtotal != total || rn != len(files) {
				return fmt.Errorf("%s: raw total %d rows %d, API total %d rows %d", s.name, rtotal, rn, total, len(files))
			}
			var sd time.Duration
			if srv.url != "" {
				if sd, err = srv.listFiles(pid, f, total); err != nil {
					return fmt.Errorf("%s server: %w", s.name, err)
				}
			}
			if i >= warm {
				api, rawT, served = append(api, d), append(rawT, rd), append(served, sd)
			}
		}
		ap50, ap99 := pct(api, 50), pct(api, 99)
		rp50, rp99 := pct(rawT, 50), pct(rawT, 99)
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %.2f |", s.name, s.matches, ms(ap50), ms(ap99), ms(rp50), ms(rp99),
			float64(ap99)/float64(rp99))
		if srv.url != "" {
			sp50 := pct(served, 50)
			fmt.Printf(" %s | %s | %.2f |", ms(sp50), ms(pct(served, 99)), float64(sp50)/float64(ap50))
		}
		fmt.Println()
	}
	runtime.GC()
	st, _ := os.ReadFile("/proc/self/status")
	var mem []string
	for _, line := range strings.Split(string(st), "\n") {
		for _, k := range []string{"VmHWM", "VmRSS", "RssAnon", "RssFile"} {
			if strings.HasPrefix(line, k+":") {
				mem = append(mem, strings.Join(strings.Fields(line), " "))
			}
		}
	}
	fmt.Printf("\nprocess memory after the run (store + raw pool in one process): %s\n", strings.Join(mem, ", "))
	return nil
}

func keywordCount(meta Meta, kw string) int {
	for _, k := range meta.Keywords {
		if k.Text == kw {
			return k.Count
		}
	}
	return -1
}

// rawQuery runs the SQL that FindFiles issues for f directly on a plain pool: the count, then the page.
func rawQuery(ctx context.Context, db *sqlstore.DB, raw *sql.DB, f sluice.FileFilter) (time.Duration, int, int, error) {
	q, ok, err := db.FileQuery(ctx, f)
	if err != nil || !ok {
		return 0, 0, 0, err
	}
	t0 := time.Now()
	var total int
	if err := raw.QueryRowContext(ctx, q.Count, q.Args...).Scan(&total); err != nil {
		return 0, 0, 0, err
	}
	rows, err := raw.QueryContext(ctx, q.Page, append(slices.Clone(q.PageArgs), f.Limit, f.Offset)...)
	if err != nil {
		return 0, 0, 0, err
	}
	n := 0
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return 0, 0, 0, err
		}
		n++
	}
	rows.Close()
	return time.Since(t0), total, n, rows.Err()
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return s[i-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// timeSQL runs one query (its first column's first row printed) n times and prints the median time: the
// tool behind the design measurements in docs/files-scale.md.
func timeSQL(ctx context.Context, dsn, query string, n int) error {
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	var ds []time.Duration
	var v any
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := raw.QueryRowContext(ctx, query).Scan(&v); err != nil {
			return err
		}
		ds = append(ds, time.Since(t0))
	}
	fmt.Printf("%v\tp50 %s\tmax %s\t%s\n", v, ms(pct(ds, 50)), ms(pct(ds, 100)), query)
	return nil
}

// serverClient sends the benchmark's filters to a server as signed DataWorks ListFiles requests (HMAC-SHA1
// RPC, as the old SDK signs them), so the server's time per call is measured on the same calls as the
// store's, in the same run.
type serverClient struct {
	url, key, secret string
	hc               http.Client
}

// listFiles times one ListFiles of f (whole body read) and checks its TotalCount against the store's.
func (c *serverClient) listFiles(projectID int64, f sluice.FileFilter, wantTotal int) (time.Duration, error) {
	params := url.Values{"Action": {"ListFiles"}, "Version": {"2020-05-18"}, "ProjectId": {strconv.FormatInt(projectID, 10)},
		"PageSize": {strconv.Itoa(f.Limit)}, "PageNumber": {strconv.Itoa(f.Offset/f.Limit + 1)}}
	if f.Keyword != "" {
		params.Set("Keyword", f.Keyword)
	}
	if f.Owner != "" {
		params.Set("Owner", f.Owner)
	}
	if len(f.Types) > 0 {
		var ts []string
		for _, t := range f.Types {
			ts = append(ts, strconv.Itoa(t))
		}
		params.Set("FileTypes", strings.Join(ts, ","))
	}
	if f.FolderKey != nil {
		params.Set("FileFolderPath", sluice.FolderRoots[1]+"/"+*f.FolderKey)
	}
	auth.SignRPC("GET", params, c.key, c.secret, time.Now(), "")
	t0 := time.Now()
	resp, err := c.hc.Get(strings.TrimSuffix(c.url, "/") + "/?" + params.Encode())
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	var page struct{ Data struct{ TotalCount int } }
	if err := json.Unmarshal(body, &page); err != nil {
		return 0, err
	}
	if page.Data.TotalCount != wantTotal {
		return 0, fmt.Errorf("server TotalCount %d, store %d", page.Data.TotalCount, wantTotal)
	}
	return d, nil
}
