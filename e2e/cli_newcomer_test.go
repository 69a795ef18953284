package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/api/native"
)

// TestCLI_Newcomer covers what a new user of the CLI meets: users named by name or id, pushed SQL that
// records lineage, dry runs in the conditional, the production column, and the hint on a wrong secret.
func TestCLI_Newcomer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSluice(t)
	srv := newServer(t)
	ctx := t.Context()
	root := cli{t: t, bin: bin, addr: srv.Endpoint}.as(srv.AccessKeyID, srv.AccessKeySecret)
	admin := srv.Client()
	keyOf := func(user string) (cli, *native.Client) {
		if _, err := admin.CreateUser(ctx, user, ""); err != nil {
			t.Fatal(err)
		}
		k, err := admin.CreateKey(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		return root.as(k.AccessKeyID, k.AccessKeySecret),
			&native.Client{Endpoint: admin.Endpoint, AccessKeyID: k.AccessKeyID, AccessKeySecret: k.AccessKeySecret}
	}
	alice, _ := keyOf("alice")
	bob, bobAPI := keyOf("bob")

	// Ids are shown, and any member can turn a name into an id (and back), but not list users.
	var users []native.User
	if err := json.Unmarshal([]byte(root.run(false, "user", "list", "-o", "json")), &users); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range users {
		ids[u.Name] = u.ID
	}
	if len(ids) != 3 || ids["alice"] == 0 || ids["bob"] == 0 || ids["alice"] == ids["bob"] {
		t.Fatalf("user list ids: %+v", users)
	}
	if out := root.run(false, "user", "list"); !strings.Contains(strings.Join(strings.Fields(out), " "), strconv.FormatInt(ids["alice"], 10)+" alice member") {
		t.Fatalf("user list table:\n%s", out)
	}
	var who native.Whoami
	if err := json.Unmarshal([]byte(alice.run(false, "whoami", "-o", "json")), &who); err != nil || who.UserID != ids["alice"] {
		t.Fatalf("whoami: %+v %v", who, err)
	}
	u, err := bobAPI.GetUser(ctx, "alice")
	if err != nil || u.ID != ids["alice"] || u.Name != "alice" || u.Role != "" {
		t.Fatalf("member looks up alice: %+v %v", u, err)
	}
	if u, err := bobAPI.GetUser(ctx, strconv.FormatInt(ids["alice"], 10)); err != nil || u.Name != "alice" {
		t.Fatalf("member looks up alice's id: %+v %v", u, err)
	}
	if _, err := bobAPI.GetUser(ctx, "nobody"); err == nil || !strings.Contains(err.Error(), "NotFound") {
		t.Fatalf("unknown user: %v", err)
	}
	if errOut := bob.run(true, "user", "list"); !strings.Contains(errOut, "Forbidden") {
		t.Fatalf("member lists users: %s", errOut)
	}

	// Push: SQL files get AutoParsing, so that submitting records lineage.
	alice.run(false, "project", "create", "newcomer_dw")
	alice.run(false, "project", "add-member", "newcomer_dw", strconv.FormatInt(ids["bob"], 10), "--role", "developer") // by id
	var members []native.Member
	if err := json.Unmarshal([]byte(bob.run(false, "project", "members", "newcomer_dw", "-o", "json")), &members); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.UserID != ids[m.User] {
			t.Fatalf("members: %+v, ids %v", members, ids)
		}
	}
	var keys []native.Key
	if err := json.Unmarshal([]byte(root.run(false, "key", "list", "--user", strconv.FormatInt(ids["bob"], 10), "-o", "json")), &keys); err != nil ||
		len(keys) != 1 || keys[0].User != "bob" || keys[0].UserID != ids["bob"] {
		t.Fatalf("keys of bob by id: %+v %v", keys, err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ods_orders.sql"), []byte("INSERT OVERWRITE TABLE ods_orders SELECT * FROM raw_orders;"), 0o644)
	os.WriteFile(filepath.Join(dir, "notify.sh"), []byte("echo done\n"), 0o644)
	path := "业务流程/订单/MaxCompute/ods"
	type report struct {
		Files []struct {
			Path        string
			FileID      int64
			Action      string
			AutoParsing *bool
			Changes     []string
			Submitted   bool
		}
		Summary map[string]int
	}
	push := func(c cli, args ...string) (r report) {
		t.Helper()
		out := c.run(false, append([]string{"files", "push", dir, "-p", "newcomer_dw", "--path", path, "-o", "json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("push: %v\n%s", err, out)
		}
		return r
	}
	file := map[string]int64{}
	for _, f := range push(alice, "--create-workflow", "--submit").Files {
		file[f.Path] = f.FileID
		if sql := f.Path == "ods_orders.sql"; (f.AutoParsing != nil) != sql || sql && !*f.AutoParsing {
			t.Fatalf("pushed %s: AutoParsing %v", f.Path, f.AutoParsing)
		}
	}
	var detail struct{ File struct{ AutoParsing bool } }
	getJSON := func(id int64) {
		t.Helper()
		if err := json.Unmarshal([]byte(alice.run(false, "files", "get", fmt.Sprint(id), "-p", "newcomer_dw", "-o", "json")), &detail); err != nil {
			t.Fatal(err)
		}
	}
	if getJSON(file["ods_orders.sql"]); !detail.File.AutoParsing {
		t.Fatal("the pushed SQL file has AutoParsing off")
	}
	if getJSON(file["notify.sh"]); detail.File.AutoParsing {
		t.Fatal("the pushed shell script has AutoParsing on")
	}
	if out := alice.run(false, "lineage", "graph", "raw_orders", "-p", "newcomer_dw"); !strings.Contains(out, "odps.newcomer_dw.raw_orders, downstream:") ||
		!strings.Contains(out, "odps.newcomer_dw.ods_orders") {
		t.Fatalf("pushed and submitted SQL recorded no lineage:\n%s", out)
	}

	// A dry run speaks in the conditional and changes nothing; the real push says what it changed.
	out := alice.run(false, "files", "push", dir, "-p", "newcomer_dw", "--path", path, "--auto-parsing=false", "--submit", "--dry-run")
	for _, want := range []string{"would update (auto-parsing off)", "would submit", "dry run: would create 0, update 1, leave 1 unchanged, skip 0, submit 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("dry run lacks %q:\n%s", want, out)
		}
	}
	if getJSON(file["ods_orders.sql"]); !detail.File.AutoParsing {
		t.Fatal("the dry run changed AutoParsing")
	}
	r := push(alice, "--auto-parsing=false")
	for _, f := range r.Files {
		if f.Path == "ods_orders.sql" && (f.Action != "updated" || strings.Join(f.Changes, ",") != "auto-parsing off") {
			t.Fatalf("turning auto-parsing off: %+v", f)
		}
	}
	if getJSON(file["ods_orders.sql"]); detail.File.AutoParsing {
		t.Fatal("--auto-parsing=false left AutoParsing on")
	}

	// Files by owner name or id; TYPE with its name; PROD after a deployment; code ending with a newline.
	sqlID := fmt.Sprint(file["ods_orders.sql"])
	for _, owner := range []string{"alice", strconv.FormatInt(ids["alice"], 10)} {
		if out := bob.run(false, "files", "ls", "-p", "newcomer_dw", "--owner", owner); !strings.Contains(out, "ods_orders") || !strings.Contains(out, "ODPS SQL (10)") {
			t.Fatalf("ls --owner %s:\n%s", owner, out)
		}
	}
	if out := bob.run(false, "files", "ls", "-p", "newcomer_dw", "--owner", "bob", "-o", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("ls --owner bob: %s", out)
	}
	if out := bob.run(false, "files", "ls", "-p", "newcomer_dw", "--last-edit-user", "alice"); !strings.Contains(out, "notify") {
		t.Fatalf("ls --last-edit-user alice:\n%s", out)
	}
	alice.run(false, "files", "submit", sqlID, "-p", "newcomer_dw")
	alice.run(false, "files", "deploy", sqlID, "-p", "newcomer_dw")
	var listed []struct {
		FileName    string
		ProdVersion int
	}
	if err := json.Unmarshal([]byte(alice.run(false, "files", "ls", "-p", "newcomer_dw", "-o", "json")), &listed); err != nil {
		t.Fatal(err)
	}
	for _, f := range listed {
		if want := map[string]int{"ods_orders": 2}[f.FileName]; f.ProdVersion != want {
			t.Fatalf("production version of %s: %d, want %d", f.FileName, f.ProdVersion, want)
		}
	}
	if out := alice.run(false, "files", "ls", "-p", "newcomer_dw"); !strings.Contains(out, "PROD") || !strings.Contains(out, "  v2  ") {
		t.Fatalf("ls PROD column:\n%s", out)
	}
	if out := alice.run(false, "files", "get", sqlID, "-p", "newcomer_dw", "--content"); out != "INSERT OVERWRITE TABLE ods_orders SELECT * FROM raw_orders;\n" {
		t.Fatalf("get --content: %q", out)
	}

	// A wrong secret: the vendor's code, and what to check.
	wrong := root.as(srv.AccessKeyID, "not-the-secret")
	if errOut := wrong.run(true, "whoami"); !strings.Contains(errOut, "SignatureDoesNotMatch") || !strings.Contains(errOut, "check SLUICE_ACCESS_KEY_SECRET") {
		t.Fatalf("wrong secret: %s", errOut)
	}
}
