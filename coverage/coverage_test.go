package coverage

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The repository root and the specs beside it, from this package's directory.
const (
	repoRoot = ".."
	specDir  = "../../shared/spec"
)

// TestPageIsFresh regenerates docs/coverage.md in memory: a route added or removed, a partial note changed
// or a catalogue change without regenerating the page fails here, and so in CI.
func TestPageIsFresh(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Page(cat)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(repoRoot, PageFile))
	if err != nil {
		t.Fatalf("%s: %v: run %s", PageFile, err, Command)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run %s (from the repository root)\n%s", PageFile, Command, firstDiff(got, want))
	}
}

// TestCatalogueMatchesSpec reads the specs again where they are present (CI has ../shared beside the
// repository): a spec that names a new operation, or drops one, fails until the catalogue is regenerated.
func TestCatalogueMatchesSpec(t *testing.T) {
	if _, err := os.Stat(specDir); err != nil {
		t.Skipf("%s absent: the checked-in catalogue is not compared with the specs", specDir)
	}
	cat, err := ParseSpec(specDir)
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Encode(); !bytes.Equal(got, catalogueJSON) {
		t.Fatalf("%s is stale against %s: run %s (from the repository root)\n%s", CatalogueFile, specDir, Command,
			firstDiff(catalogueJSON, got))
	}
}

// TestCatalogueNamesSeeds guards the parser against reading nothing: the seed operations and a few
// others of every face are in the checked-in catalogue, REST ones with their method and path.
func TestCatalogueNamesSeeds(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Operation{
		DataWorks: {{Name: "ListFiles"}, {Name: "GetMetaTableProducingTasks"}, {Name: "DeleteLineageRelation"}, {Name: "UpdateNodeRunMode"}},
		MaxCompute: {
			{Name: "ListPackages", Method: "GET", Path: "/api/v1/projects/{projectName}/packages"},
			{Name: "GetPackage", Method: "GET", Path: "/api/v1/projects/{projectName}/packages/{packageName}"},
			{Name: "DeleteProject", Method: "DELETE", Path: "/api/v1/projects/{projectName}"},
			{Name: "UpdateProjectDefaultQuota", Method: "PUT", Path: "/api/v1/projects/{projectName}/quota"},
			{Name: "GetRoleAclOnObject", Method: "GET", Path: "/api/v1/projects/{projectName}/roles/{roleName}/acl"},
			{Name: "UpdateUsersToRole", Method: "PUT", Path: "/api/v1/projects/{projectName}/roles/{roleName}/users"},
		},
		DLI: {
			{Name: "ListJobResources", Method: "GET", Path: "/v2.0/{project_id}/resources"},
			{Name: "ShowResourceTags", Method: "GET", Path: "/v3/{project_id}/{resource_type}/{resource_id}/tags"},
		},
	}
	for id, ops := range want {
		f := cat.face(id)
		if f == nil {
			t.Fatalf("no face %s", id)
		}
		for _, w := range ops {
			var got *Operation
			for i := range f.Operations {
				if f.Operations[i].Name == w.Name {
					got = &f.Operations[i]
				}
			}
			if got == nil {
				t.Errorf("%s: %s missing", id, w.Name)
				continue
			}
			if got.Method != w.Method || got.Path != w.Path || got.Section == "" {
				t.Errorf("%s: %+v, want method %q path %q and a section", id, *got, w.Method, w.Path)
			}
		}
	}
	for _, f := range cat.Faces {
		for _, op := range f.Operations {
			if notOperations[op.Name] {
				t.Errorf("%s: %s is a field, not an operation", f.ID, op.Name)
			}
		}
	}
}

// TestBuildRefusesDisagreement: a partial note for an operation not served, and a served REST operation on
// another path than its spec's, make Build fail rather than print a wrong page.
func TestBuildRefusesDisagreement(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(cat); err != nil {
		t.Fatal(err)
	}

	partial[MaxCompute]["CreateRole"] = "roles"
	_, err = Build(cat)
	delete(partial[MaxCompute], "CreateRole")
	if err == nil || !strings.Contains(err.Error(), "maxcompute CreateRole: a partial note for an operation that is not served") {
		t.Errorf("note for an unserved operation: %v", err)
	}

	moved, _ := Load()
	f := moved.face(MaxCompute)
	for i := range f.Operations {
		if f.Operations[i].Name == "ListPackages" {
			f.Operations[i].Path = "/api/v1/projects/{projectName}/pkgs"
		}
	}
	_, err = Build(moved)
	if err == nil || !strings.Contains(err.Error(), "maxcompute ListPackages: served as GET /api/v1/projects/{projectName}/packages") {
		t.Errorf("served on another path: %v", err)
	}
}

// TestStatuses pins a few rows: a served one, a partial one, one not served, one served beyond the specs.
func TestStatuses(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(cat)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]Row{}
	for _, f := range rep.Faces {
		for _, r := range f.Rows {
			status[f.ID+"/"+r.Op.Name] = r
		}
	}
	for key, want := range map[string]Status{
		"dataworks/ListFiles":                  Implemented,
		"dataworks/SubmitFile":                 Partial,
		"dataworks/UpdateNodeOwner":            NotImplemented,
		"maxcompute/GetPackage":                Implemented,
		"maxcompute/CreateRole":                NotImplemented,
		"dli/ShowJobResource":                  Implemented,
		"dli/BatchCreateResourceTags":          Partial,
		"dataworks/GetMetaColumnLineage":       Implemented,
		"dataworks/GetMetaTableProducingTasks": Implemented,
	} {
		if got := status[key]; got.Status != want {
			t.Errorf("%s: %q, want %q", key, got.Status, want)
		}
	}
	if r := status["dataworks/GetMetaColumnLineage"]; !r.Extra {
		t.Errorf("GetMetaColumnLineage is not in the specs read, so it is extra: %+v", r)
	}
	if r := status["maxcompute/CreateRole"]; r.Doc != "" {
		t.Errorf("an operation not served links to no docs: %+v", r)
	}
	if len(rep.MaxComputeRPC) != 3 || len(rep.Native) == 0 || len(rep.Console) == 0 {
		t.Errorf("own APIs: %d MaxCompute 2019 actions, %d native, %d console routes", len(rep.MaxComputeRPC), len(rep.Native), len(rep.Console))
	}
}

// TestDocLinks: every docs section a row links to is a heading of that page, so the anchors resolve.
func TestDocLinks(t *testing.T) {
	for key, h := range docHeadings {
		b, err := os.ReadFile(filepath.Join(repoRoot, "docs", h[0]))
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		re := regexp.MustCompile(`(?m)^#+ ` + regexp.QuoteMeta(h[1]) + `$`)
		if !re.Match(b) {
			t.Errorf("%s: docs/%s has no heading %q", key, h[0], h[1])
		}
	}
	if got := slug("DataWorks 2020-05-18 — Alibaba RPC at `/`"); got != "dataworks-2020-05-18--alibaba-rpc-at-" {
		t.Errorf("slug: %q", got)
	}
}

func TestRowOperations(t *testing.T) {
	const base = "/api/v1/projects/{projectName}"
	for _, tc := range []struct {
		row  string
		want []Operation
	}{
		{"| `CreateProject` / `DeleteProject` | POST / DELETE | `/api/v1/projects` / `/api/v1/projects/{projectName}` | — / `isLogical` |",
			[]Operation{{Name: "CreateProject", Method: "POST", Path: "/api/v1/projects"}, {Name: "DeleteProject", Method: "DELETE", Path: "/api/v1/projects/{projectName}"}}},
		{"| `UpdateProjectBasicMeta`, `…DefaultQuota` | PUT | `/api/v1/projects/{projectName}/meta` \\| `/quota` | |",
			[]Operation{{Name: "UpdateProjectBasicMeta", Method: "PUT", Path: base + "/meta"}, {Name: "UpdateProjectDefaultQuota", Method: "PUT", Path: base + "/quota"}}},
		{"| `ListRoles` / `CreateRole` | GET / POST | `/api/v1/projects/{projectName}/roles` | |",
			[]Operation{{Name: "ListRoles", Method: "GET", Path: base + "/roles"}, {Name: "CreateRole", Method: "POST", Path: base + "/roles"}}},
		{"| `GetRoleAcl`, `GetRolePolicy` | GET | `…/roles/{roleName}/roleAcl` \\| `/policy` | |",
			[]Operation{{Name: "GetRoleAcl", Method: "GET", Path: base + "/roles/{roleName}/roleAcl"}, {Name: "GetRolePolicy", Method: "GET", Path: base + "/roles/{roleName}/policy"}}},
		{"| T3 | `ShowResourceTags` | GET | `/v3/{project_id}/{resource_type}/{resource_id}/tags?limit=&offset=` | 200 |",
			[]Operation{{Name: "ShowResourceTags", Method: "GET", Path: "/v3/{project_id}/{resource_type}/{resource_id}/tags"}}},
	} {
		cells := tableCells(tc.row)
		var got []Operation
		for i := 1; i+1 < len(cells); i++ {
			if methods.MatchString(cells[i]) {
				got = rowOperations(cells[i-1], cells[i], cells[i+1], base)
				break
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.row, got, tc.want)
		}
	}
}

// TestParseRPC: action names in code spans (one broken over a line) and headings count, fields and names
// inside code blocks do not, and an action is placed in the section whose heading names it.
func TestParseRPC(t *testing.T) {
	dir := t.TempDir()
	spec := "# API\n\nIntro naming `ListThings` first.\n\n" +
		"## 1. ListThings (seed)\n\nFields: `CreateTime`, `CreateUser`.\n\n" +
		"## 2. Others\n\n| API | request |\n| --- | --- |\n| `GetThing` | `ThingId` |\n\n" +
		"Also `RegisterThing` (body `Thing{A,\nB}`), `DeleteThing` too.\n\n" +
		"```\nCreateHidden / `ListHidden`\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := parseRPC(dir, "a.md")
	if err != nil {
		t.Fatal(err)
	}
	want := []Operation{
		{Name: "DeleteThing", Section: "a.md §2"},
		{Name: "GetThing", Section: "a.md §2"},
		{Name: "ListThings", Section: "a.md §1"},
		{Name: "RegisterThing", Section: "a.md §2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "first difference at line " + itoa(i+1) + ":\n  has:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
