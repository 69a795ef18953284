package auth

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api"
)

// testKeys is a KeyStore with one good key, one disabled key and one whose lookup fails.
type testKeys map[string]string

func (k testKeys) LookupSecret(_ context.Context, id string) (string, error) {
	switch id {
	case "disabledid":
		return "", api.ErrKeyDisabled
	case "brokenid":
		return "", errors.New("database is down")
	}
	if s, ok := k[id]; ok {
		return s, nil
	}
	return "", api.ErrKeyNotFound
}

var testNow = time.Date(2024, 11, 21, 8, 0, 0, 0, time.UTC)

func newTestVerifier() *Verifier {
	now := func() time.Time { return testNow }
	return &Verifier{
		Keys:   testKeys{"testid": "testsecret"},
		Nonces: &api.MemoryNonceStore{Now: now},
		Now:    now,
	}
}

// overTheWire serialises req and parses it back the way net/http's server would, so the verifier sees
// the Host, escaped path and header spellings it will see in production.
func overTheWire(t testing.TB, req *http.Request, body []byte) (*http.Request, []byte) {
	t.Helper()
	if len(body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatalf("write request: %v", err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("read request: %v", err)
	}
	got, err := io.ReadAll(sr.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return sr, got
}

// verifyRPC runs VerifyRPC the way the rpc adapter will: query from the raw query, form decoded from
// the body when it is x-www-form-urlencoded.
func verifyRPC(v *Verifier, r *http.Request, body []byte) (Result, error) {
	query, _ := url.ParseQuery(r.URL.RawQuery)
	var form url.Values
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ = url.ParseQuery(string(body))
	}
	return v.VerifyRPC(r, query, form, body)
}

func assertCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *api.AuthError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *api.AuthError %s", err, err, code)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("err = %d %s (%s), want %d %s", e.Status, e.Code, e.Message, status, code)
	}
}

func assertInternal(t *testing.T, err error) {
	t.Helper()
	var e *api.AuthError
	if err == nil || errors.As(err, &e) {
		t.Fatalf("err = %v, want a plain internal error", err)
	}
}

// rpcV1Request builds a signed v1 request: common params in the query, the rest in a form body.
type rpcV1Request struct {
	method  string
	query   url.Values
	form    url.Values
	id, key string
	now     time.Time
	nonce   string
	edit    func(all url.Values) // runs after signing
}

func (b rpcV1Request) build(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	all := url.Values{"Action": {"ListFiles"}, "Version": {"2020-05-18"}, "RegionId": {"cn-hangzhou"},
		"SignatureType": {""}}
	for k, vs := range b.query {
		all[k] = vs
	}
	for k, vs := range b.form {
		all[k] = vs
	}
	if b.now.IsZero() {
		b.now = testNow
	}
	if b.method == "" {
		b.method = "POST"
	}
	SignRPC(b.method, all, b.id, b.key, b.now, b.nonce)
	if b.edit != nil {
		b.edit(all)
	}
	q, f := url.Values{}, url.Values{}
	for k, vs := range all {
		if _, ok := b.form[k]; ok {
			f[k] = vs
		} else {
			q[k] = vs
		}
	}
	var body []byte
	if len(f) > 0 {
		body = []byte(f.Encode())
	}
	req, err := http.NewRequest(b.method, "http://dataworks.example:8080/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return overTheWire(t, req, body)
}

func TestVerifier_VerifyRPC_V1(t *testing.T) {
	form := url.Values{"ProjectId": {"10000"}, "Keyword": {"ods *~+"}, "FileFolderPath": {"业务流程/ods层"}}
	good := rpcV1Request{form: form, id: "testid", key: "testsecret", nonce: "n1"}

	t.Run("OK", func(t *testing.T) {
		r, body := good.build(t)
		res, err := verifyRPC(newTestVerifier(), r, body)
		if err != nil {
			t.Fatal(err)
		}
		want := Result{AccessKeyID: "testid", Scheme: SchemeRPCV1, Action: "ListFiles", Version: "2020-05-18"}
		if res != want {
			t.Errorf("result = %+v, want %+v", res, want)
		}
	})
	t.Run("GETAllInQuery", func(t *testing.T) {
		b := rpcV1Request{method: "GET", query: url.Values{"TableGuid": {"odps.p.t"}}, id: "testid", key: "testsecret"}
		r, body := b.build(t)
		if _, err := verifyRPC(newTestVerifier(), r, body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("MillisecondTimestamp", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) {
			all.Set("Timestamp", "2024-11-21T08:00:00.123Z")
			all.Set("Signature", rpcSignature(rpcStringToSign("POST", all), "testsecret"))
		}
		r, body := b.build(t)
		if _, err := verifyRPC(newTestVerifier(), r, body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrSignatureDoesNotMatch", func(t *testing.T) {
		b := good
		b.key = "wrong"
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
		// OLD compares the text after the marker with its own string to sign.
		all := url.Values{}
		for k, vs := range r.URL.Query() {
			all[k] = vs
		}
		f, _ := url.ParseQuery(string(body))
		for k, vs := range f {
			all[k] = vs
		}
		_, tail, ok := strings.Cut(err.(*api.AuthError).Message, "server string to sign is:")
		if !ok || tail != rpcStringToSign("POST", all) {
			t.Errorf("message tail = %q", tail)
		}
	})
	t.Run("ErrTampered", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Set("ProjectId", "10001") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
	})
	t.Run("ErrMethodChanged", func(t *testing.T) {
		r, body := good.build(t)
		r.Method = "PUT"
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
	})
	t.Run("ErrKeyNotFound", func(t *testing.T) {
		b := good
		b.id = "nobody"
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 404, CodeInvalidAccessKeyNotFound)
	})
	t.Run("ErrKeyDisabled", func(t *testing.T) {
		b := good
		b.id = "disabledid"
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeInvalidAccessKeyInactive)
	})
	t.Run("ErrKeyStore", func(t *testing.T) {
		b := good
		b.id = "brokenid"
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertInternal(t, err)
	})
	t.Run("ErrStale", func(t *testing.T) {
		for _, d := range []time.Duration{-16 * time.Minute, 16 * time.Minute} {
			b := good
			b.now = testNow.Add(d)
			r, body := b.build(t)
			_, err := verifyRPC(newTestVerifier(), r, body)
			assertCode(t, err, 400, CodeInvalidTimeStampExpired)
		}
	})
	t.Run("WithinSkew", func(t *testing.T) {
		b := good
		b.now = testNow.Add(-14 * time.Minute)
		r, body := b.build(t)
		if _, err := verifyRPC(newTestVerifier(), r, body); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrTimestampFormat", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Set("Timestamp", "2024-11-21 08:00:00") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeInvalidTimeStampFormat)
	})
	t.Run("ErrSignatureMethod", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Set("SignatureMethod", "HMAC-SHA256") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeInvalidSignatureMethod)
	})
	t.Run("ErrSignatureVersion", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Set("SignatureVersion", "2.0") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeInvalidSignatureVersion)
	})
	t.Run("ErrMissing", func(t *testing.T) {
		for _, p := range []string{"AccessKeyId", "Action", "Version", "SignatureMethod", "SignatureVersion",
			"SignatureNonce", "Timestamp"} {
			b := good
			b.edit = func(all url.Values) { all.Del(p) }
			r, body := b.build(t)
			_, err := verifyRPC(newTestVerifier(), r, body)
			assertCode(t, err, 400, "Missing"+p)
		}
		b := good
		b.edit = func(all url.Values) { all.Set("Signature", "") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeMissingSignature)
	})
	t.Run("ErrDuplicateSignature", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Add("Signature", "x") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeIncompleteSignature)
	})
	t.Run("ErrNonceReplayed", func(t *testing.T) {
		v := newTestVerifier()
		r, body := good.build(t)
		if _, err := verifyRPC(v, r, body); err != nil {
			t.Fatal(err)
		}
		r, body = good.build(t)
		_, err := verifyRPC(v, r, body)
		assertCode(t, err, 400, CodeSignatureNonceUsed)
	})
	t.Run("ForgeryDoesNotBurnNonce", func(t *testing.T) {
		v := newTestVerifier()
		forged := good
		forged.key = "guess"
		r, body := forged.build(t)
		_, err := verifyRPC(v, r, body)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
		r, body = good.build(t)
		if _, err := verifyRPC(v, r, body); err != nil {
			t.Fatalf("genuine request after a forgery with its nonce: %v", err)
		}
	})
	t.Run("ErrBearer", func(t *testing.T) {
		b := good
		b.edit = func(all url.Values) { all.Set("SignatureType", "BEARERTOKEN"); all.Set("BearerToken", "tok") }
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeUnsupportedSignatureType)

		r, body = good.build(t)
		r.Header.Set("x-acs-bearer-token", "tok")
		_, err = verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeUnsupportedSignatureType)
	})
	t.Run("ErrNoSignature", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://h/?Action=ListFiles", nil)
		_, err := verifyRPC(newTestVerifier(), r, nil)
		assertCode(t, err, 400, CodeMissingSignature)
		r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
		_, err = verifyRPC(newTestVerifier(), r, nil)
		assertCode(t, err, 400, CodeIncompleteSignature)
	})
	t.Run("ErrNoNonceStore", func(t *testing.T) {
		v := newTestVerifier()
		v.Nonces = nil
		r, body := good.build(t)
		_, err := verifyRPC(v, r, body)
		assertInternal(t, err)
	})
}

// acs3Request builds a request signed with SignACS3 and sends it over the wire.
type acs3Request struct {
	method, url string
	headers     map[string]string
	body        []byte
	id, key     string
	now         time.Time
	nonce       string
	edit        func(r *http.Request) // runs after signing, before sending
}

func (b acs3Request) build(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	if b.now.IsZero() {
		b.now = testNow
	}
	req, err := http.NewRequest(b.method, b.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range b.headers {
		req.Header.Set(k, v)
	}
	SignACS3(req, b.body, b.id, b.key, b.now, b.nonce)
	if b.edit != nil {
		b.edit(req)
	}
	return overTheWire(t, req, b.body)
}

func TestVerifier_ACS3(t *testing.T) {
	rpc := acs3Request{method: "POST", url: "http://127.0.0.1:8080/?DataSourceType=odps",
		headers: map[string]string{"x-acs-action": "ListFiles", "x-acs-version": "2020-05-18",
			"content-type": "application/x-www-form-urlencoded", "x-acs-credentials-provider": "static_ak"},
		body: []byte("PageNumber=1&Keyword=a+b%2A"), id: "testid", key: "testsecret", nonce: "n1"}
	roa := acs3Request{method: "GET", url: "http://maxcompute.example/api/v1/projects/p%20A/packages/test%20package%2A~?sourceProject=b",
		headers: map[string]string{"x-acs-action": "GetPackage", "x-acs-version": "2022-01-04"},
		id:      "testid", key: "testsecret", nonce: "n2"}
	native := acs3Request{method: "PUT", url: "http://localhost:9/sluice/v1/files/1",
		headers: map[string]string{"content-type": "application/json"}, body: []byte(`{"a":1}`),
		id: "testid", key: "testsecret", nonce: "n3"}

	verifiers := map[string]func(v *Verifier, r *http.Request, body []byte) (Result, error){
		"RPC": verifyRPC,
		"ROA": func(v *Verifier, r *http.Request, body []byte) (Result, error) { return v.VerifyROA(r, body) },
	}
	cases := map[string]acs3Request{"RPC": rpc, "ROA": roa}

	t.Run("OK", func(t *testing.T) {
		r, body := rpc.build(t)
		res, err := verifyRPC(newTestVerifier(), r, body)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Result{AccessKeyID: "testid", Scheme: SchemeACS3, Action: "ListFiles", Version: "2020-05-18"}); res != want {
			t.Errorf("result = %+v, want %+v", res, want)
		}
		r, body = roa.build(t)
		if _, err := newTestVerifier().VerifyROA(r, body); err != nil {
			t.Fatal(err)
		}
		r, body = native.build(t)
		res, err = newTestVerifier().VerifyROA(r, body)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Result{AccessKeyID: "testid", Scheme: SchemeACS3}); res != want {
			t.Errorf("native result = %+v, want %+v", res, want)
		}
	})
	for name, base := range cases {
		verify := verifiers[name]
		t.Run(name, func(t *testing.T) {
			run := func(t *testing.T, b acs3Request) error {
				r, body := b.build(t)
				_, err := verify(newTestVerifier(), r, body)
				return err
			}
			t.Run("ErrWrongSecret", func(t *testing.T) {
				b := base
				b.key = "nope"
				err := run(t, b)
				assertCode(t, err, 400, CodeSignatureDoesNotMatch)
				if !strings.Contains(err.Error(), "server string to sign is:ACS3-HMAC-SHA256\n") {
					t.Errorf("message lacks the string to sign: %v", err)
				}
			})
			t.Run("ErrKeyNotFound", func(t *testing.T) {
				b := base
				b.id = "nobody"
				assertCode(t, run(t, b), 404, CodeInvalidAccessKeyNotFound)
			})
			t.Run("ErrKeyDisabled", func(t *testing.T) {
				b := base
				b.id = "disabledid"
				assertCode(t, run(t, b), 400, CodeInvalidAccessKeyInactive)
			})
			t.Run("ErrKeyStore", func(t *testing.T) {
				b := base
				b.id = "brokenid"
				assertInternal(t, run(t, b))
			})
			t.Run("ErrStale", func(t *testing.T) {
				b := base
				b.now = testNow.Add(-time.Hour)
				assertCode(t, run(t, b), 400, CodeInvalidTimeStampExpired)
			})
			t.Run("ErrDateFormat", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) { r.Header.Set("x-acs-date", "yesterday") }
				assertCode(t, run(t, b), 400, CodeInvalidTimeStampFormat)
			})
			t.Run("ErrHostChanged", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) { r.Host = "other.example:8080" }
				assertCode(t, run(t, b), 400, CodeSignatureDoesNotMatch)
			})
			t.Run("ErrQueryChanged", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) { r.URL.RawQuery += "&x=1" }
				assertCode(t, run(t, b), 400, CodeSignatureDoesNotMatch)
			})
			t.Run("ErrBodyChanged", func(t *testing.T) {
				r, body := base.build(t)
				_, err := verify(newTestVerifier(), r, append(body, '!'))
				assertCode(t, err, 400, CodeInvalidParameter)
			})
			t.Run("ErrUnsignedACSHeader", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }
				assertCode(t, run(t, b), 400, CodeIncompleteSignature)
			})
			t.Run("ErrRequiredHeaderUnsigned", func(t *testing.T) {
				for _, h := range []string{"host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
					b := base
					b.edit = func(r *http.Request) {
						a := r.Header.Get("Authorization")
						a = strings.Replace(a, ";"+h, "", 1)
						a = strings.Replace(a, "SignedHeaders="+h+";", "SignedHeaders=", 1)
						r.Header.Set("Authorization", a)
					}
					assertCode(t, run(t, b), 400, CodeIncompleteSignature)
				}
			})
			t.Run("ErrUnsortedSignedHeaders", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) {
					a := r.Header.Get("Authorization")
					r.Header.Set("Authorization", strings.Replace(a, "SignedHeaders=", "SignedHeaders=zz;", 1))
				}
				assertCode(t, run(t, b), 400, CodeIncompleteSignature)
			})
			t.Run("ErrMalformed", func(t *testing.T) {
				for _, a := range []string{"ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 Credential=testid",
					"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host", "ACS3-HMAC-SHA256 garbage",
					"ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=00"} {
					b := base
					b.edit = func(r *http.Request) { r.Header.Set("Authorization", a) }
					assertCode(t, run(t, b), 400, CodeIncompleteSignature)
				}
			})
			t.Run("ErrAlgorithm", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) {
					a := r.Header.Get("Authorization")
					r.Header.Set("Authorization", strings.Replace(a, "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
				}
				assertCode(t, run(t, b), 400, CodeInvalidSignatureMethod)
			})
			t.Run("ErrBearer", func(t *testing.T) {
				b := base
				b.edit = func(r *http.Request) { r.Header.Set("x-acs-bearer-token", "t") }
				assertCode(t, run(t, b), 400, CodeUnsupportedSignatureType)
			})
			t.Run("ErrNonceReplayed", func(t *testing.T) {
				v := newTestVerifier()
				r, body := base.build(t)
				if _, err := verify(v, r, body); err != nil {
					t.Fatal(err)
				}
				r, body = base.build(t)
				_, err := verify(v, r, body)
				assertCode(t, err, 400, CodeSignatureNonceUsed)
			})
			t.Run("ForgeryDoesNotBurnNonce", func(t *testing.T) {
				v := newTestVerifier()
				forged := base
				forged.key = "guess"
				r, body := forged.build(t)
				_, err := verify(v, r, body)
				assertCode(t, err, 400, CodeSignatureDoesNotMatch)
				r, body = base.build(t)
				if _, err := verify(v, r, body); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
	t.Run("RPCRequiresAction", func(t *testing.T) {
		b := rpc
		b.headers = map[string]string{"x-acs-version": "2020-05-18"}
		r, body := b.build(t)
		_, err := verifyRPC(newTestVerifier(), r, body)
		assertCode(t, err, 400, CodeIncompleteSignature)
	})
}

// roaRequest builds a request signed with SignROA and sends it over the wire.
type roaRequest struct {
	method, url string
	headers     map[string]string
	body        []byte
	id, key     string
	now         time.Time
	nonce       string
	edit        func(r *http.Request)
}

func (b roaRequest) build(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	if b.now.IsZero() {
		b.now = testNow
	}
	req, err := http.NewRequest(b.method, b.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range b.headers {
		req.Header.Set(k, v)
	}
	SignROA(req, b.body, b.id, b.key, b.now, b.nonce)
	if b.edit != nil {
		b.edit(req)
	}
	return overTheWire(t, req, b.body)
}

func TestVerifier_VerifyROA_V1(t *testing.T) {
	good := roaRequest{method: "POST", url: "http://127.0.0.1:8080/api/v1/projects/pA/packages?isInstall=false",
		headers: map[string]string{"x-acs-action": "CreatePackage", "x-acs-version": "2022-01-04",
			"Content-Type": "application/json; charset=utf-8"},
		body: []byte(`{"name":"pkg"}`), id: "testid", key: "testsecret", nonce: "n1"}
	run := func(t *testing.T, v *Verifier, b roaRequest) (Result, error) {
		r, body := b.build(t)
		return v.VerifyROA(r, body)
	}

	t.Run("OK", func(t *testing.T) {
		res, err := run(t, newTestVerifier(), good)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Result{AccessKeyID: "testid", Scheme: SchemeROAV1, Action: "CreatePackage", Version: "2022-01-04"}); res != want {
			t.Errorf("result = %+v, want %+v", res, want)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		b := good
		b.key = "nope"
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
		if !strings.Contains(err.Error(), "server string to sign is:POST\napplication/json\n") {
			t.Errorf("message lacks the string to sign: %v", err)
		}
	})
	t.Run("ErrKeyNotFound", func(t *testing.T) {
		b := good
		b.id = "nobody"
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 404, CodeInvalidAccessKeyNotFound)
	})
	t.Run("ErrKeyDisabled", func(t *testing.T) {
		b := good
		b.id = "disabledid"
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeInvalidAccessKeyInactive)
	})
	t.Run("ErrStale", func(t *testing.T) {
		b := good
		b.now = testNow.Add(20 * time.Minute)
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeInvalidTimeStampExpired)
	})
	t.Run("ErrDateFormat", func(t *testing.T) {
		b := good
		b.edit = func(r *http.Request) { r.Header.Set("Date", "2024-11-21T08:00:00Z") }
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeInvalidTimeStampFormat)
	})
	t.Run("ErrMissingDate", func(t *testing.T) {
		b := good
		b.edit = func(r *http.Request) { r.Header.Del("Date") }
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, "MissingDate")
	})
	t.Run("ErrSignatureMethod", func(t *testing.T) {
		b := good
		b.edit = func(r *http.Request) { r.Header.Set("x-acs-signature-method", "HMAC-SHA256") }
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeInvalidSignatureMethod)
	})
	t.Run("ErrBodyChanged", func(t *testing.T) {
		r, _ := good.build(t)
		_, err := newTestVerifier().VerifyROA(r, []byte(`{"name":"evil"}`))
		assertCode(t, err, 400, CodeInvalidParameter)
	})
	t.Run("ErrHeaderChanged", func(t *testing.T) {
		b := good
		b.edit = func(r *http.Request) { r.Header.Set("x-acs-action", "DeleteEverything") }
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for a, code := range map[string]string{"acs testid": CodeIncompleteSignature,
			"acs :sig": "MissingAccessKeyId", "acs testid:": CodeIncompleteSignature,
			"HMAC testid:sig": CodeIncompleteSignature} {
			b := good
			b.edit = func(r *http.Request) { r.Header.Set("Authorization", a) }
			_, err := run(t, newTestVerifier(), b)
			assertCode(t, err, 400, code)
		}
		r, _ := http.NewRequest("GET", "http://h/api/v1/projects", nil)
		_, err := newTestVerifier().VerifyROA(r, nil)
		assertCode(t, err, 400, CodeMissingSignature)
	})
	t.Run("ErrBearer", func(t *testing.T) {
		b := good
		b.edit = func(r *http.Request) { r.Header.Set("x-acs-signature-type", "BEARERTOKEN") }
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeUnsupportedSignatureType)
	})
	t.Run("ErrNonceReplayed", func(t *testing.T) {
		v := newTestVerifier()
		if _, err := run(t, v, good); err != nil {
			t.Fatal(err)
		}
		_, err := run(t, v, good)
		assertCode(t, err, 400, CodeSignatureNonceUsed)
	})
	// Without x-acs-signature-nonce (OLD) the signature is the nonce.
	noNonce := func(b roaRequest) roaRequest {
		b.edit = func(r *http.Request) {
			r.Header.Del("x-acs-signature-nonce")
			sts := roaStringToSign(r.Method, r.Header.Get("Accept"), r.Header.Get("Content-MD5"),
				r.Header.Get("Content-Type"), r.Header.Get("Date"), roaCanonicalHeaders(r.Header),
				roaCanonicalResource(r.URL.Path, r.URL.Query()))
			r.Header.Set("Authorization", "acs testid:"+roaSignature(sts, "testsecret"))
		}
		return b
	}
	t.Run("ErrReplayWithoutNonce", func(t *testing.T) {
		v := newTestVerifier()
		b := noNonce(good)
		if _, err := run(t, v, b); err != nil {
			t.Fatal(err)
		}
		_, err := run(t, v, b)
		assertCode(t, err, 400, CodeSignatureNonceUsed)
	})
	t.Run("OLDUnescapedPath", func(t *testing.T) {
		// OLD signs path parameters unescaped; net/http escapes them on the wire.
		b := noNonce(good)
		b.url = "http://127.0.0.1:8080/api/v1/projects/p%20A/packages/pkg%2A"
		if _, err := run(t, newTestVerifier(), b); err != nil {
			t.Fatal(err)
		}
		// With a nonce header (DARA), only the escaped path counts.
		b.edit = func(r *http.Request) {
			sts := roaStringToSign(r.Method, r.Header.Get("Accept"), r.Header.Get("Content-MD5"),
				r.Header.Get("Content-Type"), r.Header.Get("Date"), roaCanonicalHeaders(r.Header),
				roaCanonicalResource(r.URL.Path, r.URL.Query()))
			r.Header.Set("Authorization", "acs testid:"+roaSignature(sts, "testsecret"))
		}
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
	})
	t.Run("ErrSignatureReencoded", func(t *testing.T) {
		// base64 of 20 bytes leaves 2 padding bits a lenient decoder ignores; flipping them must not
		// produce a second accepted spelling (it would be a fresh nonce for OLD requests).
		b := noNonce(good)
		inner := b.edit
		b.edit = func(r *http.Request) {
			inner(r)
			a := []byte(r.Header.Get("Authorization"))
			a[len(a)-2] ^= 1
			r.Header.Set("Authorization", string(a))
		}
		_, err := run(t, newTestVerifier(), b)
		assertCode(t, err, 400, CodeSignatureDoesNotMatch)
	})
}
