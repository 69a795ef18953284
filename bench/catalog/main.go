// Command catalog drives the MaxCompute catalogue benchmarks of run.sh against a real server:
//
//  1. `sluice sql` running 10,000-statement DDL scripts (CREATE TABLE with columns, comments, partitions and
//     lifecycles), timed from the command's start to its exit, until the project holds -tables tables;
//  2. ListTables paging through all of them with maxItem 100, every page timed;
//  3. a project with -packages packages (made by one `sluice sql` script) and a package holding -objects
//     tables, then ListPackages and GetPackage, each timed -n times;
//
// every call signed ACS3-HMAC-SHA256 through darabonba-openapi's CallApi, as the generated MaxCompute client
// sends it. The baseline, measured in the same run against the same server, is ListProjects (the smallest
// signed ROA call): each figure is also given as a ratio of it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/bench/internal/benchserve"
	"github.com/sluice-dev/sluice/envvar"
)

const perScript = 10000

func main() {
	bin := flag.String("sluice", "", "the sluice binary")
	dir := flag.String("dir", "", "a data directory to create")
	database := flag.String("database", "", "a PostgreSQL URL; SQLite in -dir when empty")
	tables := flag.Int("tables", 100000, "tables to create and page through")
	packages := flag.Int("packages", 10000, "packages in one project")
	objects := flag.Int("objects", 1000, "objects in one package")
	n := flag.Int("n", 200, "timed calls of ListPackages, GetPackage and the baseline")
	flag.Parse()
	if err := run(*bin, *dir, *database, *tables, *packages, *objects, *n); err != nil {
		log.Fatal(err)
	}
}

func run(bin, dir, database string, tables, packages, objects, n int) error {
	ctx := context.Background()
	endpoint, stop, err := benchserve.Start(bin, dir, database)
	if err != nil {
		return err
	}
	defer stop()
	admin := &native.Client{Endpoint: endpoint, AccessKeyID: benchserve.RootKey, AccessKeySecret: benchserve.RootSecret}
	for _, p := range []string{"bench_tables", "bench_packages"} {
		if _, err := admin.CreateProject(ctx, p, "", ""); err != nil {
			return err
		}
	}
	profile := filepath.Join(dir, "config.json")
	sql := func(project, script string) (time.Duration, error) {
		f := filepath.Join(dir, "script.sql")
		if err := os.WriteFile(f, []byte(script), 0o600); err != nil {
			return 0, err
		}
		cmd := exec.Command(bin, "sql", "--project", project, "-f", f)
		cmd.Env = append(os.Environ(), envvar.Endpoint+"="+endpoint, envvar.AccessKeyID+"="+benchserve.RootKey,
			envvar.AccessKeySecret+"="+benchserve.RootSecret, envvar.ConfigFile+"="+profile)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("sluice sql: %v: %s", err, tail(out))
		}
		return time.Since(start), nil
	}

	// 1. DDL scripts.
	var scripts []time.Duration
	for made := 0; made < tables; made += perScript {
		d, err := sql("bench_tables", ddl(made, min(perScript, tables-made)))
		if err != nil {
			return err
		}
		scripts = append(scripts, d)
	}
	slices.Sort(scripts)
	med := scripts[len(scripts)/2]
	row(fmt.Sprintf("`sluice sql -f`, 10,000 CREATE TABLE statements a script (%d scripts; p50 is the median, p99 the slowest)", len(scripts)),
		len(scripts), med, scripts[len(scripts)-1],
		fmt.Sprintf("%.0f statements/s", float64(min(perScript, tables))/med.Seconds()))

	c, err := client(endpoint)
	if err != nil {
		return err
	}
	// Baseline: ListProjects.
	base, err := timeN(n, func() error {
		_, err := call(c, "ListProjects", "GET", "/api/v1/projects", map[string]*string{"maxItem": dara.String("10")})
		return err
	})
	if err != nil {
		return err
	}
	baseP99 := pct(base, 99)
	row("baseline: ListProjects, maxItem 10", n, pct(base, 50), baseP99, "")

	// 2. ListTables paging, on the wire and through the SDK.
	for _, how := range []struct {
		what string
		get  func(q string) (map[string]any, error)
	}{
		{"on the wire", func(q string) (map[string]any, error) {
			raw, err := get(endpoint, "ListTables", "/api/v1/projects/bench_tables/tables?"+q)
			if err != nil {
				return nil, err
			}
			var body map[string]any // a page of 100 tables: decoding it is small next to the call
			return body, json.Unmarshal(raw, &body)
		}},
		{"through darabonba CallApi", func(q string) (map[string]any, error) {
			v, _ := url.ParseQuery(q)
			query := map[string]*string{}
			for k := range v {
				query[k] = dara.String(v.Get(k))
			}
			return call(c, "ListTables", "GET", "/api/v1/projects/bench_tables/tables", query)
		}},
	} {
		var pages []time.Duration
		marker, seen := "", 0
		for {
			q := url.Values{"maxItem": {"100"}}
			if marker != "" {
				q.Set("marker", marker)
			}
			start := time.Now()
			body, err := how.get(q.Encode())
			if err != nil {
				return err
			}
			pages = append(pages, time.Since(start))
			data, _ := body["data"].(map[string]any)
			ts, _ := data["tables"].([]any)
			seen += len(ts)
			marker, _ = data["marker"].(string)
			if marker == "" {
				break
			}
		}
		if seen != tables {
			return fmt.Errorf("ListTables paged through %d tables, want %d", seen, tables)
		}
		row(fmt.Sprintf("ListTables, maxItem 100, paging through %d tables — %s", tables, how.what), len(pages),
			pct(pages, 50), pct(pages, 99), ratio(pct(pages, 99), baseP99))
	}

	// 3. Packages: one script makes them all, another the package of many objects.
	var b strings.Builder
	for i := range packages {
		fmt.Fprintf(&b, "create package pkg_%06d;\n", i)
	}
	d, err := sql("bench_packages", b.String())
	if err != nil {
		return err
	}
	row(fmt.Sprintf("`sluice sql -f` %d CREATE PACKAGE statements", packages), 1, d, d,
		fmt.Sprintf("%.0f statements/s", float64(packages)/d.Seconds()))
	b.Reset()
	for i := range objects {
		fmt.Fprintf(&b, "create table obj_%05d (id bigint, name string);\n", i)
	}
	b.WriteString("create package big;\n")
	for i := range objects {
		fmt.Fprintf(&b, "add table obj_%05d to package big with privileges describe, select;\n", i)
	}
	b.WriteString("allow project bench_tables to install package big using label 2;\n")
	if _, err := sql("bench_packages", b.String()); err != nil {
		return err
	}
	if err := both(c, endpoint, n, baseP99, fmt.Sprintf("ListPackages, %d packages in the project", packages+1),
		"ListPackages", "/api/v1/projects/bench_packages/packages", func(body map[string]any) error {
			data, _ := body["data"].(map[string]any)
			if got, _ := data["createdPackages"].([]any); len(got) != packages+1 {
				return fmt.Errorf("ListPackages answered %d packages, want %d", len(got), packages+1)
			}
			return nil
		}); err != nil {
		return err
	}
	if err := both(c, endpoint, n, baseP99, fmt.Sprintf("GetPackage, %d objects in the package", objects),
		"GetPackage", "/api/v1/projects/bench_packages/packages/big", func(body map[string]any) error {
			data, _ := body["data"].(map[string]any)
			rl, _ := data["resourceList"].(map[string]any)
			if got, _ := rl["table"].([]any); len(got) != objects {
				return fmt.Errorf("GetPackage answered %d tables, want %d", len(got), objects)
			}
			return nil
		}); err != nil {
		return err
	}

	// The listing is reused while the project's package listing version stays: the first call after a change
	// reads it again. Each sample creates one more package (untimed), then lists.
	cold := make([]time.Duration, 0, 20)
	for i := range cap(cold) {
		if _, err := admin.RunSQL(ctx, "bench_packages", fmt.Sprintf("create package cold_%03d", i)); err != nil {
			return err
		}
		start := time.Now()
		if _, err := get(endpoint, "ListPackages", "/api/v1/projects/bench_packages/packages"); err != nil {
			return err
		}
		cold = append(cold, time.Since(start))
	}
	row(fmt.Sprintf("ListPackages, %d packages, first call after a change — on the wire", packages+1), len(cold),
		pct(cold, 50), pct(cold, 99), ratio(pct(cold, 99), baseP99))
	return nil
}

// both times a GET twice: on the wire (signed, sent, the whole body read and decoded by encoding/json:
// the server's answer time) and through darabonba-openapi's CallApi, whose own decoding of a large body
// adds client time.
func both(c *openapi.Client, endpoint string, n int, base time.Duration, what, action, path string, check func(map[string]any) error) error {
	// On the wire the clock stops once the whole body is in; decoding and checking it is the client's.
	var wire []time.Duration
	for i := range n + 1 {
		start := time.Now()
		raw, err := get(endpoint, action, path)
		if err != nil {
			return err
		}
		if i > 0 { // the first call warms caches and prepared statements
			wire = append(wire, time.Since(start))
		}
		if i == 0 || i == n {
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				return err
			}
			if err := check(body); err != nil {
				return err
			}
		}
	}
	row(what+" — on the wire", n, pct(wire, 50), pct(wire, 99), ratio(pct(wire, 99), base))
	sdk, err := timeN(n, func() error {
		body, err := call(c, action, "GET", path, nil)
		if err == nil {
			err = check(body)
		}
		return err
	})
	if err != nil {
		return err
	}
	row(what+" — through darabonba CallApi", n, pct(sdk, 50), pct(sdk, 99), ratio(pct(sdk, 99), base))
	return nil
}

// get sends one signed ROA GET as the generated client would, and reads the whole answer.
func get(endpoint, action, path string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, endpoint+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", "2022-01-04")
	req.Header.Set("accept", "application/json")
	auth.SignACS3(req, nil, benchserve.RootKey, benchserve.RootSecret, time.Now(), "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %d %s", action, resp.StatusCode, b)
	}
	return b, nil
}

// ddl returns count CREATE TABLE statements shaped like a warehouse's: 4 to 12 columns of mixed types with
// comments, every third table partitioned by day, lifecycles on half of them.
func ddl(from, count int) string {
	types := []string{"bigint", "string", "double", "decimal(18,2)", "datetime", "boolean", "array<string>", "map<string,bigint>"}
	var b strings.Builder
	b.WriteString("set odps.sql.type.system.odps2=true;\n")
	for i := from; i < from+count; i++ {
		fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS dwd_table_%06d (\n", i)
		cols := 4 + i%9
		for c := range cols {
			sep := ","
			if c == cols-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "  col_%02d %s COMMENT 'column %d of table %d'%s\n", c, types[(i+c)%len(types)], c, i, sep)
		}
		fmt.Fprintf(&b, ") COMMENT 'generated table %d'", i)
		if i%3 == 0 {
			b.WriteString(" PARTITIONED BY (ds STRING COMMENT 'day')")
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, " LIFECYCLE %d", 1+i%365)
		}
		b.WriteString(";\n")
	}
	return b.String()
}

func client(endpoint string) (*openapi.Client, error) {
	return openapi.NewClient(&openapi.Config{
		AccessKeyId:     dara.String(benchserve.RootKey),
		AccessKeySecret: dara.String(benchserve.RootSecret),
		Endpoint:        dara.String(strings.TrimPrefix(endpoint, "http://")),
		Protocol:        dara.String("http"),
	})
}

// call makes one ROA call the way the generated client's methods do.
func call(c *openapi.Client, action, method, path string, query map[string]*string) (map[string]any, error) {
	p := &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	res, err := c.CallApi(p, &openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	body, _ := res["body"].(map[string]any)
	return body, nil
}

func timeN(n int, fn func() error) ([]time.Duration, error) {
	if err := fn(); err != nil { // warm: the first call fills caches and prepares statements
		return nil, err
	}
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ratio(d, base time.Duration) string {
	return fmt.Sprintf("p99 %.1f× the baseline's", float64(d)/float64(base))
}

func row(what string, n int, p50, p99 time.Duration, note string) {
	fmt.Printf("| %s | %d | %s | %s | %s |\n", what, n, ms(p50), ms(p99), note)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
