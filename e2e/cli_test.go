package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/envvar"
)

// buildSluice builds the binary once per test run.
func buildSluice(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sluice")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/sluice")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `sluice serve` and waits for /healthz.
func startServe(t *testing.T, bin, addr, dir string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dir)
	cmd.Env = append(os.Environ(), env...)
	return runServer(t, cmd, addr)
}

// runServer starts a prepared `sluice serve` command, stops it when the test ends, and waits for /healthz.
func runServer(t *testing.T, cmd *exec.Cmd, addr string) *exec.Cmd {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy:\n%s", out.String())
	return nil
}

// readCredentials parses DIR/root-credentials.
func readCredentials(t *testing.T, dir string) (id, secret string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "root-credentials"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("root-credentials mode %v, want 0600", fi.Mode().Perm())
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// The file is sourceable: `export NAME=value` lines.
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		switch k {
		case envvar.AccessKeyID:
			id = v
		case envvar.AccessKeySecret:
			secret = v
		}
	}
	if id == "" || secret == "" {
		t.Fatal("root-credentials lacks the key")
	}
	return id, secret
}

type cli struct {
	t    *testing.T
	bin  string
	env  []string
	addr string
}

// run runs a client command and returns its stdout; wantErr says whether it must fail.
func (c cli) run(wantErr bool, args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.bin, args...)
	// No profile: a developer's ~/.sluice/config.json must not reach the test.
	cmd.Env = append(os.Environ(), append([]string{envvar.Endpoint + "=http://" + c.addr,
		envvar.ConfigFile + "=" + filepath.Join(c.t.TempDir(), "none.json")}, c.env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if (err != nil) != wantErr {
		c.t.Fatalf("sluice %s: err=%v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if wantErr {
		return stderr.String()
	}
	return stdout.String()
}

func (c cli) as(id, secret string) cli {
	c.env = []string{envvar.AccessKeyID + "=" + id, envvar.AccessKeySecret + "=" + secret}
	return c
}

// TestCLI runs the binary: first start creates root credentials; users, keys, projects and membership
// through the client commands; and a project acknowledged before `kill -9` is there after a restart.
func TestCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSluice(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	server := startServe(t, bin, addr, dir)
	rootID, rootSecret := readCredentials(t, dir)
	root := cli{t: t, bin: bin, addr: addr}.as(rootID, rootSecret)

	if out := root.run(false, "whoami"); !strings.Contains(out, "root") {
		t.Fatalf("whoami: %s", out)
	}
	root.run(false, "user", "create", "alice")
	root.run(false, "user", "create", "bob")
	var key struct{ AccessKeyID, AccessKeySecret string }
	if err := json.Unmarshal([]byte(root.run(false, "key", "create", "--user", "alice", "--output", "json")), &key); err != nil || key.AccessKeySecret == "" {
		t.Fatalf("key create: %+v %v", key, err)
	}
	alice := root.as(key.AccessKeyID, key.AccessKeySecret)
	json.Unmarshal([]byte(root.run(false, "key", "create", "--user", "bob", "--output", "json")), &key)
	bob := root.as(key.AccessKeyID, key.AccessKeySecret)

	alice.run(false, "project", "create", "sales_dw", "--comment", "sales warehouse")
	if errOut := alice.run(true, "user", "create", "mallory"); !strings.Contains(errOut, "Forbidden") {
		t.Fatalf("non-admin user create: %s", errOut)
	}
	if out := bob.run(false, "project", "list", "--output", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("bob sees %s", out)
	}
	alice.run(false, "project", "add-member", "sales_dw", "bob", "--role", "viewer")
	var projects []struct{ Name, Owner, UUID string }
	if err := json.Unmarshal([]byte(bob.run(false, "project", "list", "--output", "json")), &projects); err != nil || len(projects) != 1 || projects[0].Owner != "alice" {
		t.Fatalf("bob's projects: %+v %v", projects, err)
	}
	if out := bob.run(false, "project", "get", projects[0].UUID); !strings.Contains(out, "sales_dw") {
		t.Fatalf("get by uuid: %s", out)
	}
	if errOut := bob.run(true, "project", "delete", "sales_dw"); !strings.Contains(errOut, "Forbidden") {
		t.Fatalf("viewer delete: %s", errOut)
	}
	if out := alice.run(false, "project", "members", "sales_dw"); !strings.Contains(out, "bob") || !strings.Contains(out, "viewer") {
		t.Fatalf("members: %s", out)
	}
	if out := root.run(false, "key", "list", "--user", "bob"); !strings.Contains(out, "enabled") || strings.Contains(out, key.AccessKeySecret) {
		t.Fatalf("key list: %s", out)
	}
	root.run(false, "key", "disable", key.AccessKeyID)
	if errOut := bob.run(true, "project", "list"); !strings.Contains(errOut, "InvalidAccessKeyId.Inactive") {
		t.Fatalf("disabled key: %s", errOut)
	}

	// kill -9, restart on the same data: everything acknowledged is there, and no new root key appears.
	alice.run(false, "project", "create", "last_write")
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()
	startServe(t, bin, addr, dir)
	if id, _ := readCredentials(t, dir); id != rootID {
		t.Fatalf("restart replaced the root key")
	}
	out := alice.run(false, "project", "list")
	for _, name := range []string{"sales_dw", "last_write"} {
		if !strings.Contains(out, name) {
			t.Fatalf("after kill -9, %s is missing:\n%s", name, out)
		}
	}
}
