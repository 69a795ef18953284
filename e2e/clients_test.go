package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/sluicetest"
)

// The examples of docs/clients.md (examples/) run here as a user runs them: as separate programs pointed at
// a live server by SLUICE_ENDPOINT and the access key variables. What they print is checked line by line,
// and what they created is read back through another client.

const examplesDir = "../examples"

// runExample runs an example program against srv with the root key and returns its stdout; wantErr says
// whether it must exit non-zero (then stderr is returned).
func runExample(t *testing.T, srv *sluicetest.Server, secret string, wantErr bool, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "SLUICE_ENDPOINT="+srv.URL, "SLUICE_ACCESS_KEY_ID="+srv.AccessKeyID,
		"SLUICE_ACCESS_KEY_SECRET="+secret)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if (err != nil) != wantErr {
		t.Fatalf("%s %s: err=%v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if wantErr {
		return stderr.String()
	}
	return stdout.String()
}

// matchLines checks that out has exactly one line per pattern, each matching its pattern as a whole, and
// returns the submatches of every line.
func matchLines(t *testing.T, out string, patterns ...string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(patterns) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(patterns), out)
	}
	var subs [][]string
	for i, p := range patterns {
		m := regexp.MustCompile("^" + p + "$").FindStringSubmatch(lines[i])
		if m == nil {
			t.Fatalf("line %d %q does not match %q; output:\n%s", i+1, lines[i], p, out)
		}
		subs = append(subs, m)
	}
	return subs
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkFile reads back, through the old SDK, the SQL file a DataWorks example created and committed.
func checkFile(t *testing.T, srv *sluicetest.Server, projectID, businessID, fileID int64) {
	t.Helper()
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	get := dataworks.CreateGetFileRequest()
	get.ProjectId = requests.NewInteger64(projectID)
	get.FileId = requests.NewInteger64(fileID)
	resp, err := dw.GetFile(get)
	if err != nil {
		t.Fatal(err)
	}
	f := resp.Data.File
	if f.FileName != "ods_orders" || f.FileType != 10 || f.BusinessId != businessID || f.CommitStatus != 1 ||
		f.CurrentVersion != 1 || !f.AutoParsing || f.Content != "INSERT OVERWRITE TABLE ods_orders SELECT * FROM src_orders;\n" {
		t.Fatalf("GetFile %d = %+v", fileID, f)
	}
}

// checkMaxComputeProject reads back, through the native API, a project a MaxCompute example created.
func checkMaxComputeProject(t *testing.T, srv *sluicetest.Server, name, comment string) {
	t.Helper()
	p, err := srv.Client().GetProject(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != name || p.Owner != "root" || p.Comment != comment {
		t.Fatalf("project %s = %+v", name, p)
	}
}

// TestClients_Go builds the Go examples and runs each against its own server.
func TestClients_Go(t *testing.T) {
	bin := t.TempDir()
	// One build for all three: the SDK packages are compiled once and each program only linked.
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./go/...")
	build.Dir = examplesDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build examples: %v\n%s", err, out)
	}

	t.Run("OldSDKDataWorks", func(t *testing.T) {
		srv := newServer(t)
		out := runExample(t, srv, srv.AccessKeySecret, false, filepath.Join(bin, "dataworks"), "go_dw")
		m := matchLines(t, out,
			`CreateProject go_dw: ProjectId (\d+)`,
			`CreateBusiness sales: BusinessId (\d+)`,
			`CreateFile ods_orders: FileId (\d+)`,
			`SubmitFile (\d+): DeploymentId \d+`,
			`ListFiles: ods_orders type 10 committed true version 1`,
			`CreateProject go_dw again: HTTP 409 InvalidParameter.Conflict`)
		if m[3][1] != m[2][1] {
			t.Fatalf("submitted file %s, created %s", m[3][1], m[2][1])
		}
		checkFile(t, srv, atoi(t, m[0][1]), atoi(t, m[1][1]), atoi(t, m[2][1]))
	})

	t.Run("OldSDKCommonRequest", func(t *testing.T) {
		srv := newServer(t)
		out := runExample(t, srv, srv.AccessKeySecret, false, filepath.Join(bin, "commonrequest"), "go_common")
		matchLines(t, out,
			`CreateProject go_common: created`,
			`GetProject go_common: owner root status AVAILABLE comment made with CommonRequest`,
			`ListProjects: go_common`)
		checkMaxComputeProject(t, srv, "go_common", "made with CommonRequest")
	})

	t.Run("Darabonba", func(t *testing.T) {
		srv := newServer(t)
		out := runExample(t, srv, srv.AccessKeySecret, false, filepath.Join(bin, "darabonba"), "go_dara")
		matchLines(t, out,
			`DataWorks CreateProject go_dara: ProjectId \d+`,
			`DataWorks ListProjects: go_dara`,
			`MaxCompute CreateProject go_dara_mc: created`,
			`MaxCompute ListProjects: go_dara owner root`,
			`MaxCompute ListProjects: go_dara_mc owner root`,
			`MaxCompute GetProject go_dara_missing: HTTP 403 NoPermission`)
		checkMaxComputeProject(t, srv, "go_dara_mc", "made with darabonba")
		// A wrong secret is reported with the vendor's code, and the program fails.
		if errOut := runExample(t, srv, srv.AccessKeySecret+"x", true, filepath.Join(bin, "darabonba"), "go_dara2"); !strings.Contains(errOut, "HTTP 400 SignatureDoesNotMatch") {
			t.Fatalf("wrong secret: %s", errOut)
		}
	})
}

// requireNode returns the node binary once the examples' dependencies are installed. Without them the
// test is skipped on a developer's machine but fails in CI, where .ci/run installs them and a silent skip
// would hide a broken install.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	var missing string
	if err != nil {
		missing = "node is not on PATH"
	} else if _, err := os.Stat(filepath.Join(examplesDir, "node", "node_modules", "@alicloud", "pop-core", "package.json")); err != nil {
		missing = "examples/node has no node_modules (run: npm ci --prefix examples/node)"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run the Node.js examples: %s", missing)
		}
		t.Skipf("Node.js examples not run: %s", missing)
	}
	return node
}

// TestClients_Node runs the pop-core examples: RPCClient against DataWorks, ROAClient against MaxCompute.
func TestClients_Node(t *testing.T) {
	node := requireNode(t)
	script := func(name string) string { return filepath.Join(examplesDir, "node", name) }

	t.Run("RPCClientDataWorks", func(t *testing.T) {
		srv := newServer(t)
		out := runExample(t, srv, srv.AccessKeySecret, false, node, script("dataworks.js"), "node_dw")
		m := matchLines(t, out,
			`CreateProject node_dw: ProjectId (\d+)`,
			`CreateBusiness sales: BusinessId (\d+)`,
			`CreateFile ods_orders: FileId (\d+)`,
			`SubmitFile (\d+): DeploymentId \d+`,
			`ListFiles: ods_orders type 10 committed true version 1`,
			// The lineage parsed from the committed SQL names the file's node as the table's producer.
			`GetMetaTableProducingTasks odps.node_dw.ods_orders: ods_orders`,
			`ListProjects: node_dw`)
		if m[3][1] != m[2][1] {
			t.Fatalf("submitted file %s, created %s", m[3][1], m[2][1])
		}
		checkFile(t, srv, atoi(t, m[0][1]), atoi(t, m[1][1]), atoi(t, m[2][1]))

		// Run again: the workspace exists, and the script reports the vendor's code and fails.
		if errOut := runExample(t, srv, srv.AccessKeySecret, true, node, script("dataworks.js"), "node_dw"); !strings.HasPrefix(errOut, "InvalidParameter.Conflict: ") {
			t.Fatalf("second run: %s", errOut)
		}
		if errOut := runExample(t, srv, srv.AccessKeySecret+"x", true, node, script("dataworks.js"), "node_dw2"); !strings.HasPrefix(errOut, "SignatureDoesNotMatch: ") {
			t.Fatalf("wrong secret: %s", errOut)
		}
	})

	t.Run("HuaweiCoreDLI", func(t *testing.T) {
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, "data.csv"), []byte("a,b\n1,2\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		srv := newServer(t, sluicetest.Options{ImportRoots: []string{root}})
		p, err := srv.Client().CreateProject(t.Context(), "node_dli", "", "")
		if err != nil {
			t.Fatal(err)
		}
		src := "file://" + filepath.Join(root, "data.csv")
		for _, id := range []string{p.Name, p.UUID} { // either of a project's DLI names
			out := runExample(t, srv, srv.AccessKeySecret, false, node, script("dli.js"), id, src)
			matchLines(t, out,
				`UploadJobResources node: data.csv READY`,
				`ListJobResources kind=file: total 1, groups node`,
				`ShowJobResource data.csv: READY file true`,
				`DeleteJobResource data.csv: done`)
		}
		if l, err := srv.Client().ListResources(t.Context(), p.Name, "", ""); err != nil || len(l.Groups) != 0 {
			t.Fatalf("after the script: %+v, %v", l, err)
		}
		if errOut := runExample(t, srv, srv.AccessKeySecret+"x", true, node, script("dli.js"), p.Name, src); !strings.Contains(errOut, "APIGW.0301: ") {
			t.Fatalf("wrong secret: %s", errOut)
		}
		if errOut := runExample(t, srv, srv.AccessKeySecret, true, node, script("dli.js"), p.Name, "file:///etc/passwd"); !strings.Contains(errOut, "DLI.0001: ") {
			t.Fatalf("a path outside the import root: %s", errOut)
		}
	})

	t.Run("ROAClientMaxCompute", func(t *testing.T) {
		srv := newServer(t)
		out := runExample(t, srv, srv.AccessKeySecret, false, node, script("maxcompute.js"), "node_mc")
		matchLines(t, out,
			`CreateProject node_mc: success`,
			`GetProject node_mc: owner root status AVAILABLE comment made with pop-core`,
			`ListProjects prefix node: node_mc`)
		checkMaxComputeProject(t, srv, "node_mc", "made with pop-core")
		// The script tolerates an existing project (409 ObjectAlreadyExists), so it can run again.
		out = runExample(t, srv, srv.AccessKeySecret, false, node, script("maxcompute.js"), "node_mc")
		matchLines(t, out,
			`CreateProject node_mc: already exists`,
			`GetProject node_mc: owner root status AVAILABLE comment made with pop-core`,
			`ListProjects prefix node: node_mc`)
	})
}

// exampleFiles lists the example sources that docs/clients.md must show, by their fence language.
func exampleFiles(t *testing.T) map[string]string {
	t.Helper()
	langs := map[string]string{".go": "go", ".js": "js", ".py": "python", ".java": "java"}
	files := map[string]string{}
	err := filepath.WalkDir(examplesDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if d.IsDir() && d.Name() == "quickstart" { // the README's program, kept equal to it by TestQuickStart
			return filepath.SkipDir
		}
		if lang, ok := langs[filepath.Ext(path)]; ok && !d.IsDir() {
			files[path] = lang
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 7 {
		t.Fatalf("found only %d example files: %v", len(files), files)
	}
	return files
}

// TestClients_DocsShowTheTestedCode keeps docs/clients.md and examples/ identical: every example file must
// appear in the doc verbatim as one fenced block, so the doc shows exactly the code the tests above run.
func TestClients_DocsShowTheTestedCode(t *testing.T) {
	doc, err := os.ReadFile("../docs/clients.md")
	if err != nil {
		t.Fatal(err)
	}
	files := exampleFiles(t)
	// No more program blocks than example files either, so a removed or renamed example leaves no stale
	// copy behind.
	blocks := regexp.MustCompile("(?m)^```(go|js|python|java)$").FindAll(doc, -1)
	if len(blocks) != len(files) {
		t.Errorf("docs/clients.md has %d go/js/python/java blocks, examples/ has %d files", len(blocks), len(files))
	}
	for path, lang := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc, []byte("```"+lang+"\n"+string(src)+"```\n")) {
			t.Errorf("docs/clients.md does not show %s verbatim in a ```%s block; copy the file into the doc", path, lang)
		}
	}
}

// TestClients_Python checks that the Python example is valid Python and, where aliyun-python-sdk-core can
// be imported (pip install, or PYTHONPATH pointing at the SDK's source), runs it against a live server. CI
// cannot install the SDK (PyPI is out of its reach), so there only the syntax is checked.
func TestClients_Python(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH")
	}
	path := filepath.Join(examplesDir, "python", "sluice_example.py")
	out, err := exec.Command(python, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", path).CombinedOutput()
	if err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, out)
	}
	if err := exec.Command(python, "-c", "import aliyunsdkcore").Run(); err != nil {
		t.Skip("aliyun-python-sdk-core is not importable: the example was only parsed")
	}
	srv := newServer(t)
	out2 := runExample(t, srv, srv.AccessKeySecret, false, python, path, "py_demo")
	matchLines(t, out2,
		`DataWorks CreateProject py_demo: ProjectId \d+`,
		`DataWorks ListProjects: py_demo`,
		`MaxCompute CreateProject py_demo_mc: created`,
		`MaxCompute GetProject py_demo_mc: owner root status AVAILABLE`)
	checkMaxComputeProject(t, srv, "py_demo_mc", "made with Python")
}

// TestClients_Java runs the Java example with the JDK's single-file launcher when SLUICE_TEST_JAVA_CLASSPATH
// names aliyun-java-sdk-core and its dependencies. Maven is out of CI's reach, so CI skips it.
func TestClients_Java(t *testing.T) {
	classpath := os.Getenv("SLUICE_TEST_JAVA_CLASSPATH")
	java, err := exec.LookPath("java")
	if classpath == "" || err != nil {
		t.Skip("needs java on PATH and SLUICE_TEST_JAVA_CLASSPATH (aliyun-java-sdk-core 4.7.10 and its dependencies)")
	}
	srv := newServer(t)
	path := filepath.Join(examplesDir, "java", "SluiceExample.java")
	out := runExample(t, srv, srv.AccessKeySecret, false, java, "-cp", classpath, path, "java_demo")
	// The example prints the SDK's raw answers, so only their start and the names in them are checked.
	matchLines(t, out,
		`DataWorks CreateProject java_demo: \{"RequestId":.*"Success":true,"Data":\d+\}`,
		`DataWorks ListProjects: \{.*"ProjectIdentifier":"java_demo".*`,
		`MaxCompute CreateProject java_demo_mc: created`,
		`MaxCompute GetProject: \{.*"name":"java_demo_mc","owner":"root","comment":"made with Java".*`)
	checkMaxComputeProject(t, srv, "java_demo_mc", "made with Java")
}
