package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/envvar"
)

// fence matches a fenced code block of the README: its language and its text.
var fence = regexp.MustCompile("(?ms)^```(\\w*)\\n(.*?)^```$")

// quickStart returns the code blocks of the README's "Quick start" section, in order, by language.
func quickStart(t *testing.T) (sh []string, goProgram string) {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start, end := strings.Index(text, "## Quick start"), strings.Index(text, "### In Go tests")
	if start < 0 || end < start {
		t.Fatal(`README.md has no "## Quick start" section followed by "### In Go tests"`)
	}
	for _, m := range fence.FindAllStringSubmatch(text[start:end], -1) {
		switch m[1] {
		case "sh":
			sh = append(sh, m[2])
		case "go":
			goProgram = m[2]
		}
	}
	return sh, goProgram
}

// commands returns a shell block's commands without comments (enough for the first block's two lines).
func commands(block string) []string {
	var out []string
	for _, line := range strings.Split(block, "\n") {
		if c, _, _ := strings.Cut(line, "#"); strings.TrimSpace(c) != "" {
			out = append(out, strings.Join(strings.Fields(c), " "))
		}
	}
	return out
}

// TestQuickStart follows the README's quick start as written, through the built binary: the first block
// builds and starts the server (the test has built the binary and starts `./sluice serve` itself, so that
// it can wait for it and stop it); every later ```sh block runs as it stands, in order, in bash -e in the
// same directory against that server, with a fresh HOME for the profile file. Only the listen address and
// what serveEnv sets (the database and blob store of the end-to-end pass) come from the environment instead
// of the defaults, so that tests can run side by side. The Go program shown must be examples/quickstart, which the last block
// runs.
func TestQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	blocks, program := quickStart(t)
	if len(blocks) != 7 {
		t.Fatalf("the quick start has %d sh blocks; this test expects 7 (server, profiles, lineage, resources, catalogue, console, SDK): update both", len(blocks))
	}
	if got := commands(blocks[0]); strings.Join(got, "\n") != "go build -o sluice ./cmd/sluice\n./sluice serve" {
		t.Fatalf("the first block is %q; this test builds the binary and starts the server as it says: update both", got)
	}
	example, err := os.ReadFile("../examples/quickstart/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if program != string(example) {
		t.Fatal("the README's Go program differs from examples/quickstart/main.go: copy the file into the README")
	}

	work := t.TempDir()
	if err := os.Link(buildSluice(t), filepath.Join(work, "sluice")); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", filepath.Join(work, "quickstart"), "../examples/quickstart").CombinedOutput(); err != nil {
		t.Fatalf("go build examples/quickstart: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	env := []string{"HOME=" + filepath.Join(work, "home"), envvar.Listen + "=" + addr, envvar.Endpoint + "=http://" + addr}
	for _, kv := range os.Environ() {
		// The reader's own key, profile or server settings must not reach the commands.
		if !strings.HasPrefix(kv, "SLUICE_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, serveEnv(t)...)
	serve := exec.Command("./sluice", "serve")
	serve.Dir, serve.Env = work, env
	runServer(t, serve, addr)

	run := func(block string) string {
		t.Helper()
		// The program is built above from the same source: go run would compile it within the test's time.
		script := strings.ReplaceAll(block, "go run ./examples/quickstart", "./quickstart")
		cmd := exec.Command("bash", "-eu", "-o", "pipefail", "-x", "-c", script)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README quick start block failed: %v\n--- block\n%s--- output (commands traced with +)\n%s", err, block, out)
		}
		return string(out)
	}
	expect := func(out string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Fatalf("output lacks %q:\n%s", w, out)
			}
		}
	}

	// Profiles: root from the root-credentials file, then alice, who stays current.
	out := run(blocks[1])
	expect(out, "as root (root)", "as alice (member)")
	sluice := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("./sluice", args...)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sluice %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	var who struct{ User string }
	if err := json.Unmarshal(sluice("whoami", "-o", "json"), &who); err != nil || who.User != "alice" {
		t.Fatalf("after the profiles block the CLI runs as %+v (%v), want alice", who, err)
	}
	profiles := filepath.Join(work, "home", ".sluice", "config.json")
	if fi, err := os.Stat(profiles); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("profile file: %v %v", fi, err)
	}

	// Push with lineage: both files committed, and the graph runs raw_orders -> ods_orders -> dws_shop_sales.
	out = run(blocks[2])
	expect(out, "2 created, 0 updated, 0 unchanged, 0 skipped, 2 submitted", "odps.sales_dw.raw_orders, downstream:",
		"odps.sales_dw.ods_orders", "odps.sales_dw.dws_shop_sales")
	var g struct {
		Nodes []struct {
			ID    string
			Depth int
		}
	}
	if err := json.Unmarshal(sluice("lineage", "graph", "raw_orders", "--project", "sales_dw", "-o", "json"), &g); err != nil {
		t.Fatal(err)
	}
	depth := map[string]int{}
	for _, n := range g.Nodes {
		depth[n.ID] = n.Depth
	}
	if d, ok := depth["odps.sales_dw.dws_shop_sales"]; !ok || d != 2 {
		t.Fatalf("lineage graph from raw_orders: %+v", g.Nodes)
	}

	// The resource centre: a file up, listed with the built-in modules, and down again byte for byte.
	out = run(blocks[3])
	expect(out, "shops.csv", "lookups", "READY", "sys.datasource.rds (module)")
	up, err := os.ReadFile(filepath.Join(work, "shops.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if down, err := os.ReadFile(filepath.Join(work, "shops-copy.csv")); err != nil || string(down) != string(up) {
		t.Fatalf("downloaded %q (%v), uploaded %q", down, err, up)
	}

	// The catalogue: the lineage-found table described by DDL, labelled, packaged, installed in a second project.
	out = run(blocks[4])
	expect(out, "alice:ods_orders", "raw_orders", "dws_shop_sales", "order total", "Partition Columns", "shop_share", "sales_dw")
	var desc struct {
		Results []struct {
			Table struct {
				Columns []struct {
					Name  string
					Label int
				}
				Lifecycle int
			}
		}
	}
	if err := json.Unmarshal(sluice("sql", "--project", "finance_dw", "-e", "DESC sales_dw.ods_orders", "--output", "json"), &desc); err != nil {
		t.Fatal(err)
	}
	if cols := desc.Results[0].Table.Columns; len(cols) != 3 || cols[2].Name != "amount" || cols[2].Label != 2 || desc.Results[0].Table.Lifecycle != 365 {
		t.Fatalf("ods_orders as its owner sees it from finance_dw: %+v", desc)
	}

	// The console: alice's password, then a sign-in as the page does it, which finds her pushed files.
	run(blocks[5])
	password := regexp.MustCompile(`echo '([^']+)'`).FindStringSubmatch(blocks[5])
	if password == nil {
		t.Fatalf("the console block sets no password with echo '...': %s", blocks[5])
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	res, err := hc.Post("http://"+addr+"/console/api/signin", "application/json",
		strings.NewReader(`{"user": "alice", "password": "`+password[1]+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("console sign-in as alice: %s", res.Status)
	}
	res, err = hc.Get("http://" + addr + "/console/api/projects/sales_dw/files?keyword=orders")
	if err != nil {
		t.Fatal(err)
	}
	var files struct {
		Items []struct{ Name string }
	}
	err = json.NewDecoder(res.Body).Decode(&files)
	res.Body.Close()
	if err != nil || len(files.Items) != 1 || files.Items[0].Name != "ods_orders" {
		t.Fatalf("the console's search for orders in sales_dw: %+v (%v)", files, err)
	}

	// The SDK, with the sourced root credentials.
	out = run(blocks[6])
	expect(out, "sales_mc root")
}
