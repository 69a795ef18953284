//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them

// Command resources drives the resource centre benchmarks of run.sh through the official DLI client:
//
//	resources -mode import -endpoint HOST:PORT -project P -group G -path file:///...   one synchronous DLI upload
//	resources -mode list -sluice BIN -dir DIR -resources N -groups G -n CALLS         ListJobResources latency
//
// The key comes from SLUICE_ACCESS_KEY_ID and SLUICE_ACCESS_KEY_SECRET (import) or is the root key the list
// mode's server is started with.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice"
	huaweiauth "github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/bench/internal/benchserve"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/sqlstore"
)

func main() {
	mode := flag.String("mode", "", "import or list")
	endpoint := flag.String("endpoint", "", "import: the server, host:port")
	project := flag.String("project", "", "import: the project")
	group := flag.String("group", "", "import: the group")
	path := flag.String("path", "", "import: the file:// (or other) path to upload")
	bin := flag.String("sluice", "", "list: the sluice binary")
	dir := flag.String("dir", "", "list: a data directory to create")
	resources := flag.Int("resources", 100000, "list: resources to create")
	groups := flag.Int("groups", 1000, "list: groups they are spread over")
	n := flag.Int("n", 200, "list: ListJobResources calls to time")
	flag.Parse()
	switch *mode {
	case "import":
		c := client("http://"+*endpoint, os.Getenv(envvar.AccessKeyID), os.Getenv(envvar.AccessKeySecret), *project)
		up, err := c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
			Paths: []string{*path}, Kind: "file", Group: *group}})
		if err != nil {
			log.Fatal(err)
		}
		if *up.Status != string(sluice.UploadReady) {
			log.Fatalf("upload ended %s", up)
		}
	case "list":
		if err := list(*bin, *dir, *resources, *groups, *n); err != nil {
			log.Fatal(err)
		}
	default:
		log.Fatal("-mode import or -mode list")
	}
}

func client(endpoint, ak, sk, project string) *dliv1.DliClient {
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(project).SafeBuild()
	if err != nil {
		log.Fatal(err)
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{endpoint}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-bench/1.0").WithTimeout(10 * time.Minute)).SafeBuild()
	if err != nil {
		log.Fatal(err)
	}
	return dliv1.NewDliClient(hc)
}

// list fills a project with resources straight through the store (uploading 100,000 files would measure
// the uploads), then times ListJobResources through the DLI client.
func list(bin, dir string, resources, groups, n int) error {
	ctx := context.Background()
	endpoint, stop, err := benchserve.Start(bin, dir, "")
	if err != nil {
		return err
	}
	admin := &native.Client{Endpoint: endpoint, AccessKeyID: benchserve.RootKey, AccessKeySecret: benchserve.RootSecret}
	p, err := admin.CreateProject(ctx, "bench_list", "", "")
	stop()
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "sluice.db"))
	if err != nil {
		return err
	}
	start := time.Now()
	per := resources / groups
	for g := range groups {
		rs := make([]*sluice.Resource, per)
		for i := range rs {
			name := "lib-" + strconv.Itoa(i) + ".jar"
			underlying := fmt.Sprintf("%08x-7b2d-4e5f-9a8b-1c2d3e4f5a6b_%s", g, name)
			rs[i] = &sluice.Resource{Name: name, Kind: sluice.KindJar, Status: sluice.UploadReady, Owner: "root",
				UnderlyingName: underlying, Source: "obs://bucket/libs/" + name, BlobKey: "resources/bench/" + underlying,
				Size: 1 << 20, SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
		}
		if _, err := db.CreateUpload(ctx, p.ID, &sluice.ResourceGroup{Name: "group-" + strconv.Itoa(g), Owner: "root"}, rs, nil); err != nil {
			return err
		}
	}
	db.Close()
	fmt.Printf("created %d resources in %d groups in %.1f s\n", per*groups, groups, time.Since(start).Seconds())

	endpoint, stop, err = benchserve.Start(bin, dir, "")
	if err != nil {
		return err
	}
	defer stop()
	// The SDK's client decodes 100,000 packages into its models, which costs more than the server's answer:
	// the server is timed with requests signed as the SDK signs them and bodies read whole but not decoded,
	// and the SDK's own call once more beside it.
	hc := &http.Client{}
	raw := func() (time.Duration, error) {
		req, err := http.NewRequest("GET", endpoint+"/v2.0/"+p.UUID+"/resources", nil)
		if err != nil {
			return 0, err
		}
		t := time.Now()
		huaweiauth.Sign(req, nil, benchserve.RootKey, benchserve.RootSecret, t)
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		nb, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && (resp.StatusCode != 200 || nb < int64(per*groups)*100) {
			err = fmt.Errorf("status %d, %d bytes", resp.StatusCode, nb)
		}
		return time.Since(t), err
	}
	c := client(endpoint, benchserve.RootKey, benchserve.RootSecret, p.UUID)
	sdk := func() (time.Duration, error) {
		t := time.Now()
		l, err := c.ListJobResources(&model.ListJobResourcesRequest{})
		if err == nil && int(*l.Total) != per*groups {
			err = fmt.Errorf("listed %d resources, want %d", *l.Total, per*groups)
		}
		return time.Since(t), err
	}
	first, err := raw()
	if err != nil {
		return err
	}
	fmt.Printf("first call (reads the listing, encodes it) %.1f ms\n", ms(first))
	for _, m := range []struct {
		name  string
		call  func() (time.Duration, error)
		calls int
	}{{"signed GET, body read", raw, n}, {"SDK ListJobResources, decoded", sdk, max(n/10, 5)}} {
		var ds []time.Duration
		for range m.calls {
			d, err := m.call()
			if err != nil {
				return err
			}
			ds = append(ds, d)
		}
		slices.Sort(ds)
		pct := func(p float64) float64 { return ms(ds[int(p*float64(len(ds)-1))]) }
		fmt.Printf("%-30s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d calls)\n", m.name, pct(0.5), pct(0.95), pct(0.99), pct(1), m.calls)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
