package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/envvar"
)

// execute runs the root command with args and returns its stdout, its stderr and its error.
func execute(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return executeWithInput(t, "", args...)
}

// executeWithInput runs the root command with args and the given standard input.
func executeWithInput(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCommand()
	root.SetIn(strings.NewReader(stdin))
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return stdout.String(), stderr.String(), err
}

func TestUnknownSubcommand(t *testing.T) {
	for _, args := range [][]string{{"project", "lst"}, {"key", "creat"}, {"files", "pusj"}, {"projct", "list"}} {
		_, _, err := execute(t, args...)
		if err == nil || !strings.Contains(err.Error(), "unknown command") || !strings.Contains(err.Error(), "Did you mean this?") {
			t.Errorf("sluice %s: %v, want an unknown-command error with a suggestion", strings.Join(args, " "), err)
		}
	}
	if _, _, err := execute(t, "lineage", "grph"); err == nil || !strings.Contains(err.Error(), "sluice lineage graph") {
		t.Errorf("sluice lineage grph: %v", err)
	}
	if _, _, err := execute(t, "project", "lst"); !strings.Contains(err.Error(), "\tlist") {
		t.Errorf("sluice project lst suggests: %v", err)
	}
	// A group alone still shows its help and succeeds.
	if out, _, err := execute(t, "project"); err != nil || !strings.Contains(out, "add-member") {
		t.Errorf("sluice project: %v\n%s", err, out)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := execute(t, "--version")
	if err != nil || !strings.HasPrefix(out, "sluice version ") || len(strings.TrimSpace(out)) <= len("sluice version") {
		t.Fatalf("--version: %q %v", out, err)
	}
}

func TestLineageExitStatus(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.sql"), filepath.Join(dir, "bad.sql")
	os.WriteFile(good, []byte("INSERT OVERWRITE TABLE b SELECT * FROM a;\n"), 0o644)
	os.WriteFile(bad, []byte("INSERT OVERWRITE TABLE d SELECT * FROM c;\nSELECT FROM WHERE;\n"), 0o644)

	out, _, err := execute(t, "lineage", good)
	if err != nil || !strings.HasPrefix(out, "{") {
		t.Fatalf("clean script: %v\n%s", err, out)
	}
	out, stderr, err := execute(t, "lineage", "-o", "table", good, bad)
	var ee exitError
	if !errors.As(err, &ee) || ee != 1 {
		t.Fatalf("a statement not understood: err %v, want exit status 1", err)
	}
	// What was found is still printed, the failed statement named.
	rows := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		rows[strings.Join(strings.Fields(l), " ")] = true
	}
	for _, want := range []string{"bad.sql reads c", "bad.sql writes d", "good.sql reads a",
		`bad.sql error statement 2 (line 2, column 13): expected a table name, found "WHERE"`} {
		if !rows[want] {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "bad.sql (1)") {
		t.Errorf("stderr: %q", stderr)
	}
	if _, _, err := execute(t, "lineage", "-o", "yaml", good); err == nil {
		t.Error("-o yaml accepted")
	}
}

func TestTableGUID(t *testing.T) {
	for _, c := range []struct{ table, project, want string }{
		{"orders", "sales_dw", "odps.sales_dw.orders"},
		{"ods.orders", "sales_dw", "odps.sales_dw.ods.orders"},
		{"sales_dw.orders", "", "odps.sales_dw.orders"},
		{"odps.sales_dw.orders", "other", "odps.sales_dw.orders"},
	} {
		if got, err := tableGUID(c.table, c.project); err != nil || got != c.want {
			t.Errorf("tableGUID(%q, %q) = %q, %v; want %q", c.table, c.project, got, err, c.want)
		}
	}
	if _, err := tableGUID("orders", ""); err == nil || !strings.Contains(err.Error(), "--project") {
		t.Errorf("bare name without a project: %v", err)
	}
}

func TestWriteTableAlignsCJK(t *testing.T) {
	var b bytes.Buffer
	writeTable(&b, []string{"NAME", "FOLDER", "ID"}, [][]string{{"订单", "业务流程/sales", "1"}, {"orders", "x", "22"}})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// Every line's last column starts at the same terminal column.
	col := -1
	for _, l := range lines {
		i := strings.LastIndex(l, "  ") + 2
		if w := runewidth.StringWidth(l[:i]); col == -1 {
			col = w
		} else if w != col {
			t.Fatalf("misaligned at display column %d vs %d:\n%s", w, col, b.String())
		}
	}
}

func TestClientSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(envvar.ConfigFile, filepath.Join(dir, "config.json"))
	for _, name := range []string{envvar.Endpoint, envvar.AccessKeyID, envvar.AccessKeySecret, envvar.Profile} {
		t.Setenv(name, "")
	}
	f := &profileFile{Current: "work", Profiles: []*profile{
		{Name: "work", Endpoint: "http://work:1", AccessKeyID: "work-id", AccessKeySecret: "work-secret"},
		{Name: "home", AccessKeyID: "home-id", AccessKeySecret: "home-secret"},
	}}
	if err := f.save(filepath.Join(dir, "config.json")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "config.json")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("profile file mode %v", fi.Mode().Perm())
	}
	get := func(flags clientFlags) (endpoint, id, secret string) {
		t.Helper()
		flags.output = "table"
		cl, err := flags.client()
		if err != nil {
			t.Fatal(err)
		}
		return cl.Endpoint, cl.AccessKeyID, cl.AccessKeySecret
	}
	if e, id, s := get(clientFlags{}); e != "http://work:1" || id != "work-id" || s != "work-secret" {
		t.Errorf("current profile: %s %s %s", e, id, s)
	}
	if e, id, _ := get(clientFlags{profile: "home"}); e != defaultEndpoint || id != "home-id" {
		t.Errorf("--profile home: %s %s", e, id)
	}
	t.Setenv(envvar.Profile, "home")
	if _, id, _ := get(clientFlags{}); id != "home-id" {
		t.Errorf("SLUICE_PROFILE=home: %s", id)
	}
	t.Setenv(envvar.AccessKeyID, "env-id")
	t.Setenv(envvar.Endpoint, "env:2")
	if e, id, s := get(clientFlags{}); e != "http://env:2" || id != "env-id" || s != "home-secret" {
		t.Errorf("environment over profile: %s %s %s", e, id, s)
	}
	if _, id, _ := get(clientFlags{keyID: "flag-id"}); id != "flag-id" {
		t.Errorf("flag over environment: %s", id)
	}
	if _, err := (&clientFlags{profile: "nowhere", output: "table"}).client(); err == nil || !strings.Contains(err.Error(), "sluice configure --profile nowhere") {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestConfigureFromCredentialsFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(envvar.ConfigFile, filepath.Join(dir, "config.json"))
	t.Setenv(envvar.Profile, "")
	root := filepath.Join(dir, "root-credentials")
	os.WriteFile(root, []byte("export SLUICE_ACCESS_KEY_ID=LTAIroot\nexport SLUICE_ACCESS_KEY_SECRET=rootsecret\n"), 0o600)
	key := filepath.Join(dir, "alice.json")
	os.WriteFile(key, []byte(`{"accessKeyId": "LTAIalice", "accessKeySecret": "alicesecret", "user": "alice"}`), 0o600)

	// No server answers at this endpoint: the profile is saved and the failed check is a warning.
	out, stderr, err := execute(t, "configure", "--credentials-file", root, "--endpoint", "127.0.0.1:1")
	if err != nil || !strings.Contains(out, "Profile default saved") || !strings.Contains(stderr, "warning: could not check the key") {
		t.Fatalf("configure: %v\n%s\n%s", err, out, stderr)
	}
	if _, _, err := execute(t, "configure", "--profile", "alice", "--credentials-file", key); err != nil {
		t.Fatal(err)
	}
	f, err := loadProfiles(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, a := f.find("default"), f.find("alice")
	if f.Current != "alice" || d == nil || d.AccessKeyID != "LTAIroot" || d.AccessKeySecret != "rootsecret" || d.Endpoint != "127.0.0.1:1" ||
		a == nil || a.AccessKeyID != "LTAIalice" || a.AccessKeySecret != "alicesecret" {
		t.Fatalf("profiles: %+v %+v %+v", f, d, a)
	}
	os.WriteFile(key, []byte("nothing here\n"), 0o600)
	if _, _, err := execute(t, "configure", "--credentials-file", key); err == nil {
		t.Fatal("a file without a key was accepted")
	}
}

func TestConfigurePrompts(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(envvar.ConfigFile, filepath.Join(dir, "config.json"))
	t.Setenv(envvar.Profile, "")
	isTerminal = func(io.Reader) bool { return true }
	t.Cleanup(func() { isTerminal = func(io.Reader) bool { return false } })

	out, _, err := executeWithInput(t, "127.0.0.1:1\nLTAIprompted\nsecret1234\n", "configure", "--profile", "p")
	if err != nil || !strings.Contains(out, "Endpoint [http://127.0.0.1:8080]: ") || !strings.Contains(out, "Access Key Secret []: ") {
		t.Fatalf("configure on a terminal: %v\n%s", err, out)
	}
	// Empty answers keep what is there; the secret is shown masked.
	out, _, err = executeWithInput(t, "\n\n\n", "configure", "--profile", "p")
	if err != nil || !strings.Contains(out, "Access Key Id [LTAIprompted]: ") || !strings.Contains(out, "Access Key Secret [******1234]: ") {
		t.Fatalf("second configure: %v\n%s", err, out)
	}
	f, _ := loadProfiles(filepath.Join(dir, "config.json"))
	if p := f.find("p"); p == nil || p.Endpoint != "127.0.0.1:1" || p.AccessKeyID != "LTAIprompted" || p.AccessKeySecret != "secret1234" {
		t.Fatalf("prompted profile: %+v", p)
	}
}

func TestHintOnSignatureMismatch(t *testing.T) {
	err := hint(&alibaba.ServiceError{Status: 400, Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation."})
	if !strings.Contains(err.Error(), "check "+envvar.AccessKeySecret) || !strings.Contains(err.Error(), "Specified signature is not matched") {
		t.Fatalf("hint: %v", err)
	}
	if err := hint(&alibaba.ServiceError{Code: "Forbidden"}); strings.Contains(err.Error(), "check") {
		t.Fatalf("hint on another error: %v", err)
	}
}
