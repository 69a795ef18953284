//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/server"
	"github.com/sluice-dev/sluice/sluicetest"
)

// The vendor SDKs default to HTTPS. Against a server with its self-signed certificate they work unchanged but
// for the certificate authority they are told to trust; without it, they refuse the server.
func TestTLS_SDKs(t *testing.T) {
	srv := sluicetest.NewServer(t, sluicetest.Options{TLS: true})
	if !strings.HasPrefix(srv.URL, "https://") || len(srv.CA) == 0 {
		t.Fatalf("URL %s, CA %d bytes", srv.URL, len(srv.CA))
	}
	p, err := srv.Client().CreateProject(context.Background(), "tls_proj", "", "")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("darabonba", func(t *testing.T) {
		call := func(endpoint, ca string) error {
			cfg := &openapi.Config{AccessKeyId: dara.String(srv.AccessKeyID), AccessKeySecret: dara.String(srv.AccessKeySecret),
				Endpoint: dara.String(endpoint), Protocol: dara.String("https"), RegionId: dara.String("cn-hangzhou")}
			if ca != "" {
				cfg.Ca = dara.String(ca)
			}
			c, err := openapi.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CallApi(rpcParams("ListProjects"), &openapiutil.OpenApiRequest{Body: map[string]any{"PageSize": 10}}, &dara.RuntimeOptions{})
			return err
		}
		// The SDK keeps one HTTP client per endpoint, whatever the CA: the two calls name the server differently
		// (the certificate covers both names).
		if err := call(strings.Replace(srv.Endpoint, "127.0.0.1", "localhost", 1), ""); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("without the CA: %v, want a certificate error", err)
		}
		if err := call(srv.Endpoint, string(srv.CA)); err != nil {
			t.Fatalf("with the CA: %v", err)
		}
	})

	t.Run("huawei", func(t *testing.T) {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(srv.CA)
		cred, err := basic.NewCredentialsBuilder().WithAk(srv.AccessKeyID).WithSk(srv.AccessKeySecret).WithProjectId(p.UUID).SafeBuild()
		if err != nil {
			t.Fatal(err)
		}
		hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{srv.URL}).
			WithHttpConfig(config.DefaultHttpConfig().WithTimeout(10 * time.Second).
				WithHttpTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}})).SafeBuild()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dliv1.NewDliClient(hc).ListJobResources(&model.ListJobResourcesRequest{}); err != nil {
			t.Fatal(err)
		}
	})

	// The CLI trusts the CA the documented way: SSL_CERT_FILE.
	t.Run("cli", func(t *testing.T) {
		bin := buildSluice(t)
		ca := filepath.Join(srv.Server.Config.DataDir, server.TLSDir, server.TLSCAFile)
		cmd := exec.Command(bin, "project", "list", "--endpoint", srv.URL, "--access-key-id", srv.AccessKeyID, "--access-key-secret", srv.AccessKeySecret)
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+ca)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "tls_proj") {
			t.Fatalf("sluice project list over HTTPS: %v\n%s", err, out)
		}
	})
}
