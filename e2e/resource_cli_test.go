package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
)

// TestResourceCLI uploads, lists, shows, downloads and removes resources with `sluice resource` through the
// built binary, then kills the server with SIGKILL right after an acknowledged upload and finds the bytes
// after the restart.
func TestResourceCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSluice(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	env := serveEnv(t)
	server := startServe(t, bin, addr, dir, env...)
	id, secret := readCredentials(t, dir)
	root := cli{t: t, bin: bin, addr: addr}.as(id, secret)
	root.run(false, "project", "create", "res_cli")

	files := t.TempDir()
	jar := make([]byte, 3<<20+17) // not a multiple of any buffer size
	rand.Read(jar)
	write := func(name string, b []byte) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	jarPath, pyPath := write("app.jar", jar), write("util.py", []byte("print('hi')\n"))

	var up []native.Resource
	if err := json.Unmarshal([]byte(root.run(false, "resource", "upload", jarPath, pyPath, "-p", "res_cli", "--kind", "jar",
		"--group", "etl", "-o", "json")), &up); err != nil || len(up) != 2 {
		t.Fatalf("upload: %+v %v", up, err)
	}
	sum := sha256.Sum256(jar)
	if up[0].Status != "READY" || up[0].Size != int64(len(jar)) || up[0].SHA256 != hex.EncodeToString(sum[:]) || up[0].Group != "etl" ||
		!strings.HasSuffix(up[0].UnderlyingName, "_app.jar") {
		t.Fatalf("uploaded = %+v", up[0])
	}
	root.run(false, "resource", "upload", pyPath, "-p", "res_cli", "--kind", "pyFile") // ungrouped
	if out := root.run(false, "resource", "ls", "-p", "res_cli"); !strings.Contains(out, "app.jar") || !strings.Contains(out, "sys.datasource.rds (module)") {
		t.Fatalf("ls:\n%s", out)
	}
	var l native.ResourceListing
	if err := json.Unmarshal([]byte(root.run(false, "resource", "ls", "-p", "res_cli", "--kind", "pyFile", "-o", "json")), &l); err != nil ||
		len(l.Resources) != 1 || len(l.Groups) != 0 {
		t.Fatalf("ls --kind pyFile: %+v %v", l, err)
	}
	if out := root.run(false, "resource", "get", "util.py", "-p", "res_cli", "-g", "etl"); !strings.Contains(out, "READY") {
		t.Fatalf("get:\n%s", out)
	}
	got := filepath.Join(t.TempDir(), "got.jar")
	root.run(false, "resource", "download", "app.jar", "-p", "res_cli", "-g", "etl", "-o", got)
	if b, err := os.ReadFile(got); err != nil || !bytes.Equal(b, jar) {
		t.Fatalf("downloaded %d bytes, %v; want the %d uploaded", len(b), err, len(jar))
	}
	if out := root.run(false, "resource", "download", "util.py", "-p", "res_cli", "-o", "-"); out != "print('hi')\n" {
		t.Fatalf("download to stdout = %q", out)
	}
	if errOut := root.run(true, "resource", "download", "none.jar", "-p", "res_cli", "-o", got); !strings.Contains(errOut, "NotFound") {
		t.Fatalf("download of a missing resource: %s", errOut)
	}
	if b, _ := os.ReadFile(got); !bytes.Equal(b, jar) {
		t.Fatal("a failed download touched the file")
	}
	if errOut := root.run(true, "resource", "upload", pyPath, "-p", "res_cli", "--kind", "exe"); !strings.Contains(errOut, "kind") {
		t.Fatalf("bad kind: %s", errOut)
	}
	root.run(false, "resource", "rm", "util.py", "-p", "res_cli", "-g", "etl")
	if errOut := root.run(true, "resource", "get", "util.py", "-p", "res_cli", "-g", "etl"); !strings.Contains(errOut, "NotFound") {
		t.Fatalf("get after rm: %s", errOut)
	}

	// On a terminal the upload draws a progress bar: the file, the percentage, bytes and rate.
	t.Run("Progress", func(t *testing.T) {
		cmd := exec.Command(bin, "resource", "upload", jarPath, "-p", "res_cli", "--kind", "jar", "--group", "progress")
		cmd.Env = append(os.Environ(), envvar.Endpoint+"=http://"+addr, envvar.AccessKeyID+"="+id, envvar.AccessKeySecret+"="+secret,
			envvar.ConfigFile+"="+filepath.Join(t.TempDir(), "none.json"))
		tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 120})
		if err != nil {
			t.Fatal(err)
		}
		defer tty.Close()
		var screen bytes.Buffer
		io.Copy(&screen, tty) // until the command exits and the terminal closes (EIO)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("upload on a terminal: %v\n%s", err, screen.String())
		}
		out := screen.String()
		for _, want := range []string{"app.jar", "100%", "B/s", "3.1 MB"} {
			if !strings.Contains(out, want) {
				t.Errorf("the terminal shows no %q:\n%q", want, out)
			}
		}
	})

	// A body that is not the one signed is refused and changes nothing.
	cl := &native.Client{Endpoint: "http://" + addr, AccessKeyID: id, AccessKeySecret: secret}
	other := sha256.Sum256([]byte("something else"))
	_, err := cl.UploadResource(context.Background(), "res_cli", "etl", "jar", "app.jar", bytes.NewReader([]byte("tampered")), 8, hex.EncodeToString(other[:]))
	var se *alibaba.ServiceError
	if !errors.As(err, &se) || se.Status != 400 {
		t.Fatalf("tampered upload: %v", err)
	}
	root.run(false, "resource", "download", "app.jar", "-p", "res_cli", "-g", "etl", "-o", got)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, jar) {
		t.Fatal("a refused upload replaced the resource")
	}

	// kill -9 right after an acknowledged upload: it is there, whole, after the restart.
	root.run(false, "resource", "upload", jarPath, "-p", "res_cli", "--kind", "jar", "--group", "last")
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()
	startServe(t, bin, addr, dir, env...)
	root.run(false, "resource", "download", "app.jar", "-p", "res_cli", "-g", "last", "-o", got)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, jar) {
		t.Fatal("after kill -9 the acknowledged upload is not whole")
	}
}
