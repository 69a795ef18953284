// Package e2e drives a complete Sluice server, started in-process by sluicetest, through the vendors'
// official SDKs and through the sluice binary.
package e2e

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/sluice-dev/sluice/sluicetest"
)

// oldConfig is the old SDK's client configuration for a plain-HTTP local server.
func oldConfig() *sdk.Config { return sdk.NewConfig().WithScheme("HTTP") }

// oldCredential is a static access key for the old SDK.
func oldCredential(id, secret string) *credentials.AccessKeyCredential {
	return credentials.NewAccessKeyCredential(id, secret)
}

// daraClient returns a darabonba-openapi client for the server; algorithm "" is the default ACS3
// signature, "v2" the legacy HMAC-SHA1 ones.
func daraClient(t *testing.T, endpoint, id, secret, algorithm string) *openapi.Client {
	t.Helper()
	cfg := &openapi.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret),
		Endpoint: dara.String(endpoint), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou")}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// oldCode returns the error code of an old-SDK error, failing the test for anything else.
func oldCode(t *testing.T, err error) string {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want a server error, got %v", err)
	}
	return se.ErrorCode()
}

// daraCode returns the code and HTTP status of a darabonba error.
func daraCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *dara.SDKError
	if errors.As(err, &se) {
		return dara.StringValue(se.Code), dara.IntValue(se.StatusCode)
	}
	var te *tea.SDKError
	if errors.As(err, &te) {
		return tea.StringValue(te.Code), tea.IntValue(te.StatusCode)
	}
	type coded interface {
		GetCode() *string
		GetStatusCode() *int
	}
	var ce coded
	if errors.As(err, &ce) {
		return dara.StringValue(ce.GetCode()), dara.IntValue(ce.GetStatusCode())
	}
	t.Fatalf("want an SDK error, got %T %v", err, err)
	return "", 0
}

// recorder is a reverse proxy in front of the server that keeps the last request, so a test can replay
// exactly what an SDK sent.
type recorder struct {
	target string
	srv    *httptest.Server

	mu     sync.Mutex
	method string
	uri    string
	header http.Header
	body   []byte
}

func newRecorder(t *testing.T, srv *sluicetest.Server) *recorder {
	r := &recorder{target: srv.URL}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.method, r.uri, r.header, r.body = req.Method, req.URL.RequestURI(), req.Header.Clone(), body
		r.mu.Unlock()
		resp, err := r.send(req.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// Endpoint is the host:port the SDKs should use.
func (r *recorder) Endpoint() string { return strings.TrimPrefix(r.srv.URL, "http://") }

// send forwards the recorded request to the server, keeping the Host the client signed.
func (r *recorder) send(host string) (*http.Response, error) {
	r.mu.Lock()
	req, err := http.NewRequest(r.method, r.target+r.uri, bytes.NewReader(r.body))
	if err == nil {
		req.Header = r.header.Clone()
		req.Host = host
	}
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// replay sends the last request again and returns the status and body.
func (r *recorder) replay(t *testing.T) (int, string) {
	t.Helper()
	resp, err := r.send(r.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func queryOf(kv ...string) map[string]*string {
	m := map[string]*string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = dara.String(kv[i+1])
	}
	return m
}
