package auth

// Round trips through the vendor SDKs: each client signs a real request against an httptest.Server whose
// handler runs the verifier, so a change in either the SDK or our canonicalisation shows up here.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/sluice-dev/sluice/api"
)

// capturedRequest is what the handler saw, enough to replay it byte for byte.
type capturedRequest struct {
	method, requestURI, host string
	header                   http.Header
	body                     []byte
}

// outcome is the verifier's answer to one request.
type outcome struct {
	result Result
	code   string // "" = accepted
}

// authServer answers every request by running the verifier: RPC on "/", ROA elsewhere.
type authServer struct {
	*httptest.Server
	v *Verifier

	mu       sync.Mutex
	last     capturedRequest
	outcomes []outcome
}

func newAuthServer(t *testing.T, now func() time.Time) *authServer {
	t.Helper()
	s := &authServer{v: &Verifier{
		Keys:   testKeys{"testid": "testsecret"},
		Nonces: &api.MemoryNonceStore{Now: now},
		Now:    now,
	}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

func (s *authServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var res Result
	if r.URL.Path == "/" {
		query, _ := url.ParseQuery(r.URL.RawQuery)
		var form url.Values
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			form, _ = url.ParseQuery(string(body))
		}
		res, err = s.v.VerifyRPC(r, query, form, body)
	} else {
		res, err = s.v.VerifyROA(r, body)
	}
	s.mu.Lock()
	s.last = capturedRequest{method: r.Method, requestURI: r.RequestURI, host: r.Host, header: r.Header.Clone(), body: body}
	o := outcome{result: res}
	var e *api.AuthError
	switch {
	case errors.As(err, &e):
		o.code = e.Code
	case err != nil:
		o.code = "internal"
	}
	s.outcomes = append(s.outcomes, o)
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	switch {
	case e != nil:
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]string{"RequestId": "req-1", "HostId": r.Host,
			"Code": e.Code, "Message": e.Message, "Recommend": ""})
	case err != nil:
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"RequestId": "req-1", "Code": "InternalError", "Message": "internal error"})
	default:
		io.WriteString(w, `{"RequestId":"req-1"}`)
	}
}

// lastOutcome returns the verifier's answer to the most recent request.
func (s *authServer) lastOutcome(t *testing.T) outcome {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.outcomes) == 0 {
		t.Fatal("the server saw no request")
	}
	return s.outcomes[len(s.outcomes)-1]
}

// replayLast sends the last captured request again with a plain http.Client and returns the status.
func (s *authServer) replayLast(t *testing.T) int {
	t.Helper()
	s.mu.Lock()
	c := s.last
	s.mu.Unlock()
	req, err := http.NewRequest(c.method, s.URL+c.requestURI, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.header.Clone()
	req.Host = c.host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (s *authServer) hostPort() string { return strings.TrimPrefix(s.URL, "http://") }

// sdkClient performs one API call with the given credentials against the server.
type sdkClient struct {
	name    string
	scheme  Scheme
	action  string
	version string
	call    func(s *authServer, id, secret string) error
}

func sdkClients() []sdkClient {
	return []sdkClient{
		{name: "OLD/RPC", scheme: SchemeRPCV1, action: "ListFiles", version: "2020-05-18", call: oldRPC},
		{name: "OLD/ROA", scheme: SchemeROAV1, action: "CreatePackage", version: "2022-01-04",
			call: func(s *authServer, id, secret string) error { return oldROA(s, id, secret, "POST") }},
		{name: "DARA/ACS3/RPC", scheme: SchemeACS3, action: "ListFiles", version: "2020-05-18",
			call: func(s *authServer, id, secret string) error { return daraRPC(s, id, secret, "") }},
		{name: "DARA/ACS3/ROA", scheme: SchemeACS3, action: "CreatePackage", version: "2022-01-04",
			call: func(s *authServer, id, secret string) error { return daraROA(s, id, secret, "") }},
		{name: "DARA/v2/RPC", scheme: SchemeRPCV1, action: "ListFiles", version: "2020-05-18",
			call: func(s *authServer, id, secret string) error { return daraRPC(s, id, secret, "v2") }},
		{name: "DARA/v2/ROA", scheme: SchemeROAV1, action: "CreatePackage", version: "2022-01-04",
			call: func(s *authServer, id, secret string) error { return daraROA(s, id, secret, "v2") }},
	}
}

// oldRPC is DataWorks ListFiles as the generated OLD client sends it: POST, body params, awkward values.
func oldRPC(s *authServer, id, secret string) error {
	client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewAccessKeyCredential(id, secret))
	if err != nil {
		return err
	}
	req := requests.NewCommonRequest()
	req.Method = "POST"
	req.Domain = s.hostPort()
	req.Version = "2020-05-18"
	req.ApiName = "ListFiles"
	req.FormParams["ProjectId"] = "10000"
	req.FormParams["FileFolderPath"] = "业务流程/我的第一个业务流程/MaxCompute/ods层"
	req.FormParams["Keyword"] = "ods *~+"
	req.FormParams["FileTypes"] = "10,23"
	req.QueryParams["PageSize"] = "10"
	_, err = client.ProcessCommonRequest(req)
	return err
}

// oldROA is MaxCompute GetPackage through an OLD CommonRequest with a PathPattern (OLD has no 2022-01-04
// client). The package name needs escaping, so this also covers OLD signing the unescaped path.
// oldROA is a MaxCompute ROA call as OLD sends it: a CommonRequest with path parameters, no nonce. A GET
// reads a package; a POST creates one, with a JSON body.
func oldROA(s *authServer, id, secret, method string) error {
	client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewAccessKeyCredential(id, secret))
	if err != nil {
		return err
	}
	host, port, _ := strings.Cut(s.hostPort(), ":")
	req := requests.NewCommonRequest()
	req.Method = method
	// OLD builds ROA URLs as scheme://Domain:Port/path, so the port cannot ride in Domain here.
	req.Domain = host
	req.Port = port
	req.Version = "2022-01-04"
	req.ApiName = "GetPackage"
	req.PathPattern = "/api/v1/projects/[projectName]/packages/[packageName]"
	req.PathParams["projectName"] = "projectA"
	req.PathParams["packageName"] = "my package"
	if method == "POST" {
		req.ApiName = "CreatePackage"
		req.PathPattern = "/api/v1/projects/[projectName]/packages"
		req.SetContent([]byte(`{"name":"pkg"}`))
		req.SetContentType("application/json")
	}
	req.QueryParams["sourceProject"] = "projectB"
	_, err = client.ProcessCommonRequest(req)
	return err
}

func daraClient(s *authServer, id, secret, algorithm string) (*openapi.Client, error) {
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(id),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(s.hostPort()),
		Protocol:        dara.String("http"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return openapi.NewClient(cfg)
}

// daraRPC is ListFiles with the Params the generated DataWorks client passes.
func daraRPC(s *authServer, id, secret, algorithm string) error {
	client, err := daraClient(s, id, secret, algorithm)
	if err != nil {
		return err
	}
	params := &openapi.Params{
		Action: dara.String("ListFiles"), Version: dara.String("2020-05-18"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	req := &openapi.OpenApiRequest{
		Query: map[string]*string{"PageSize": dara.String("10")},
		Body: map[string]interface{}{"ProjectId": 10000, "Keyword": "ods *~+",
			"FileFolderPath": "业务流程/ods层"},
	}
	_, err = client.CallApi(params, req, &dara.RuntimeOptions{})
	return err
}

// daraROA is CreatePackage with the Params the generated MaxCompute client passes: POST, query, JSON body
// string, and a path the generated code escaped (dara.PercentEncode).
func daraROA(s *authServer, id, secret, algorithm string) error {
	client, err := daraClient(s, id, secret, algorithm)
	if err != nil {
		return err
	}
	params := &openapi.Params{
		Action: dara.String("CreatePackage"), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/api/v1/projects/" + dara.PercentEncode("project A*~") + "/packages"),
		Method:   dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json"),
	}
	req := &openapi.OpenApiRequest{
		Query: map[string]*string{"isInstall": dara.String("false")},
		Body:  dara.String(`{"name":"pkg","resourceList":{"tables":["t1"]}}`),
	}
	_, err = client.CallApi(params, req, &dara.RuntimeOptions{})
	return err
}

func TestSDKRoundTrip(t *testing.T) {
	for _, c := range sdkClients() {
		t.Run(c.name, func(t *testing.T) {
			t.Run("OK", func(t *testing.T) {
				s := newAuthServer(t, time.Now)
				if err := c.call(s, "testid", "testsecret"); err != nil {
					t.Fatalf("call: %v (server: %+v)", err, s.lastOutcome(t))
				}
				want := Result{AccessKeyID: "testid", Scheme: c.scheme, Action: c.action, Version: c.version}
				if got := s.lastOutcome(t).result; got != want {
					t.Errorf("result = %+v, want %+v", got, want)
				}
			})
			refused := func(t *testing.T, s *authServer, id, secret, code string) {
				t.Helper()
				err := c.call(s, id, secret)
				if err == nil {
					t.Fatal("call succeeded, want an error")
				}
				if got := s.lastOutcome(t).code; got != code {
					t.Fatalf("server code = %q, want %q (client error: %v)", got, code, err)
				}
				if !strings.Contains(err.Error(), code) {
					t.Errorf("client error %q does not mention %s", err, code)
				}
			}
			t.Run("ErrWrongSecret", func(t *testing.T) {
				refused(t, newAuthServer(t, time.Now), "testid", "wrongsecret", CodeSignatureDoesNotMatch)
			})
			t.Run("ErrUnknownKey", func(t *testing.T) {
				refused(t, newAuthServer(t, time.Now), "nobody", "testsecret", CodeInvalidAccessKeyNotFound)
			})
			t.Run("ErrDisabledKey", func(t *testing.T) {
				refused(t, newAuthServer(t, time.Now), "disabledid", "testsecret", CodeInvalidAccessKeyInactive)
			})
			t.Run("ErrStale", func(t *testing.T) {
				far := func() time.Time { return time.Now().Add(48 * time.Hour) }
				refused(t, newAuthServer(t, far), "testid", "testsecret", CodeInvalidTimeStampExpired)
			})
			t.Run("ErrReplay", func(t *testing.T) {
				s := newAuthServer(t, time.Now)
				if err := c.call(s, "testid", "testsecret"); err != nil {
					t.Fatalf("call: %v", err)
				}
				if status := s.replayLast(t); status != http.StatusBadRequest {
					t.Errorf("replay status = %d, want 400", status)
				}
				if got := s.lastOutcome(t).code; got != CodeSignatureNonceUsed {
					t.Errorf("replay code = %q, want %s", got, CodeSignatureNonceUsed)
				}
			})
		})
	}
}

// TestSDKRoundTrip_OldROAReadsRepeat: OLD's ROA requests carry no nonce, so a read it repeats within the
// same second is byte-identical to the first; reads are held to the time window alone and both succeed,
// while a repeated write is refused as a replay (TestSDKRoundTrip/OLD/ROA/ErrReplay).
func TestSDKRoundTrip_OldROAReadsRepeat(t *testing.T) {
	s := newAuthServer(t, time.Now)
	if err := oldROA(s, "testid", "testsecret", "GET"); err != nil {
		t.Fatal(err)
	}
	if status := s.replayLast(t); status != http.StatusOK {
		t.Fatalf("repeated GET status = %d (%q), want 200", status, s.lastOutcome(t).code)
	}
	stale := newAuthServer(t, func() time.Time { return time.Now().Add(48 * time.Hour) })
	if err := oldROA(stale, "testid", "testsecret", "GET"); err == nil || stale.lastOutcome(t).code != CodeInvalidTimeStampExpired {
		t.Fatalf("a GET outside the window: %v (%q)", err, stale.lastOutcome(t).code)
	}
}

// TestSDKRoundTrip_OldSignatureMismatchRecommend checks that OLD recognises our SignatureDoesNotMatch
// message: when the server's string to sign equals its own it recommends checking the secret.
func TestSDKRoundTrip_OldSignatureMismatchRecommend(t *testing.T) {
	s := newAuthServer(t, time.Now)
	err := oldRPC(s, "testid", "wrongsecret")
	if err == nil || !strings.Contains(err.Error(), "InvalidAccessKeySecret") {
		t.Errorf("OLD did not diagnose a wrong secret: %v", err)
	}
}
