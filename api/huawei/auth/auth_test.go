package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api"
)

// The inputs common to the vectors of huawei-signing.md §4.1–§4.4.
const (
	vecAK      = "HPUAEXAMPLEAK000001"
	vecSK      = "ExampleSecretKey0000000000000000000000000"
	vecProject = "0123456789abcdef0123456789abcdef"
	vecDate    = "20250102T030405Z"
	vecUA      = "huaweicloud-usdk-go/3.0; probe/1.0"
	sdkHeaders = "user-agent;x-project-id;x-sdk-date"
)

// vector is one request as it arrives on the wire and the signature the spec gives for it.
type vector struct {
	name      string
	ak, sk    string
	method    string
	target    string // path and query exactly as on the wire
	headers   map[string]string
	body      string
	signed    string
	signature string
}

// sdkVector is a request made by the SDK with the common inputs: User-Agent, X-Project-Id, X-Sdk-Date and
// the unsigned Content-Type application/json.
func sdkVector(name, method, target, body, signature string, extra ...string) vector {
	h := map[string]string{"User-Agent": vecUA, "X-Project-Id": vecProject, "X-Sdk-Date": vecDate, "Content-Type": "application/json"}
	signed := sdkHeaders
	if len(extra) == 2 {
		h[extra[0]] = extra[1]
		signed = "user-agent;" + strings.ToLower(extra[0]) + ";x-project-id;x-sdk-date"
	}
	return vector{name: name, ak: vecAK, sk: vecSK, method: method, target: target, headers: h, body: body,
		signed: signed, signature: signature}
}

const uploadBody = `{"paths":["obs://bucket/dir/x.jar"],"kind":"jar","group":"g1","is_async":true,"tags":[{"key":"env","value":"dev"}]}` + "\n"

// vectors are every vector of huawei-signing.md §4.
var vectors = []vector{
	sdkVector("4.1 ListJobResources kind and tags", "GET", "/v2.0/"+vecProject+"/resources?kind=jar&tags=k1%3Dv1", "",
		"3478f61fbe0227535ed414342aeed66bfeb7a757321e6fdc20f3aef5bec91271"),
	sdkVector("4.1 ListJobResources no query", "GET", "/v2.0/"+vecProject+"/resources", "",
		"9996c3d2234d5fc58252a02654134020e4a50f9dea1710ab6c4a98c84962c5f3"),
	sdkVector("4.2 UploadJobResources body", "POST", "/v2.0/"+vecProject+"/resources", uploadBody,
		"34b72e66c69ee9e78b8a0a59a1373bc53fd3b80efad36d6323d575c30a716b05"),
	sdkVector("4.2 UploadJobResources USER-ID, empty body", "POST", "/v2.0/"+vecProject+"/resources",
		`{"paths":null,"kind":"","group":""}`+"\n", "da7483e88d7324d6af53646a62bcae534f3a3f3f6011629903eb731eebbceb2b",
		"User-Id", "user-123"),
	sdkVector("4.3 ShowJobResource escaping", "GET", "/v2.0/"+vecProject+"/resources/spark%20app%21v1.jar?group=g%201", "",
		"e5d22e2e4cf1c8df043893ee08f370e3ce89286bd2c839f66a3f4c35bffe8d37"),
	sdkVector("4.3 ShowJobResource harder escaping", "GET",
		"/v2.0/"+vecProject+"/resources/a+b%25c~d%2Ae%28f%29.jar?group=x%2By%26z%3D1%2F2~", "",
		"440012acd3ffb886b69abc65cb2e327c83efdb72dc5c83855af8678340d085bf"),
	{name: "4.4 UNSIGNED-PAYLOAD", ak: vecAK, sk: vecSK, method: "POST", target: "/v2.0/" + vecProject + "/resources",
		headers: map[string]string{"Content-Type": "application/octet-stream", "X-Sdk-Date": vecDate,
			"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}, body: "raw-bytes", signed: "x-sdk-content-sha256;x-sdk-date",
		signature: "0c16db0c3683e35bbc7b0f2264052a3f2a518fc11d7b34cb76272c28c87d445a"},
	sdkVector("4.4 signer.Sign with query kind=jar", "GET", "/v2.0/"+vecProject+"/resources?kind=jar", "",
		"0138180e1e2eae201156bad96752142067aa7708f2c11b3fc7d2a2fd3cfb8ae8"),
	sdkVector("4.4 signer.Sign with a body", "POST", "/v2.0/"+vecProject+"/resources",
		`{"paths":["obs://bucket/dir/x.jar"],"kind":"jar","group":"g1"}`+"\n",
		"19cc265dc40579a4499b668cf0b754995b567921dafc6916c3d4172e0ed89eec"),
	{name: "4.5 SDK test1", ak: "AccessKey", sk: "SecretKey", method: "GET", target: "/path?limit=1",
		headers: map[string]string{"X-Sdk-Date": "20060102T150405Z", "TEST_UNDERSCORE": "TEST_VALUE"}, signed: "x-sdk-date",
		signature: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"},
	{name: "4.5 SDK test2", ak: "AccessKey", sk: "SecretKey", method: "POST", target: "/path?key=value",
		headers: map[string]string{"X-Sdk-Date": "20060102T150405Z", "TEST_UNDERSCORE": "TEST_VALUE", "Content-Type": "application/json"},
		body:    `{"Name":"test","Id":1}` + "\n", signed: "x-sdk-date",
		signature: "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"},
}

// request builds v as the server receives it, with the Authorization the spec gives (signature sig).
func (v vector) request(sig string) (*http.Request, []byte) {
	r := httptest.NewRequest(v.method, "http://127.0.0.1:18765"+v.target, strings.NewReader(v.body))
	for k, val := range v.headers {
		r.Header[k] = []string{val} // as sent: TEST_UNDERSCORE keeps its spelling
	}
	r.Header.Set("Authorization", Algorithm+" Access="+v.ak+", SignedHeaders="+v.signed+", Signature="+sig)
	return r, []byte(v.body)
}

func (v vector) verifier() *Verifier {
	ts, err := time.Parse(DateLayout, v.headers["X-Sdk-Date"])
	if err != nil {
		panic(err)
	}
	now := func() time.Time { return ts.Add(3 * time.Minute) }
	return &Verifier{Keys: api.StaticKeys{v.ak: v.sk}, Nonces: &api.MemoryNonceStore{Now: now}, Now: now}
}

func assertAuth(t *testing.T, err error, reason api.AuthReason) {
	t.Helper()
	var e *api.AuthError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *api.AuthError %s", err, err, reason)
	}
	if e.Reason != reason || e.Status != 401 || e.Code != "APIGW.0301" ||
		!strings.HasPrefix(e.Message, "Incorrect IAM authentication information: ") {
		t.Fatalf("err = %s %d %s %q, want %s 401 APIGW.0301", e.Reason, e.Status, e.Code, e.Message, reason)
	}
}

func TestVerify_Vectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			r, body := v.request(v.signature)
			got, err := v.verifier().Verify(r, body)
			if err != nil {
				t.Fatalf("the spec's signature was refused: %v", err)
			}
			if got.AccessKeyID != v.ak || got.Scheme != Scheme {
				t.Fatalf("signed = %+v", got)
			}
			// One hex digit off is refused.
			bad := []byte(v.signature)
			bad[10] ^= 1
			r, body = v.request(string(bad))
			_, err = v.verifier().Verify(r, body)
			assertAuth(t, err, api.AuthMismatch)
		})
	}
}

// TestSign_Vectors: Sign reproduces each vector whose signed list is every header but Content-Type (all
// but the USER-ID one, where the header is sent too, and that is signed as well).
func TestSign_Vectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			r, body := v.request("x")
			r.Header.Del("Authorization")
			ts, _ := time.Parse(DateLayout, v.headers["X-Sdk-Date"])
			Sign(r, body, v.ak, v.sk, ts)
			want := Algorithm + " Access=" + v.ak + ", SignedHeaders=" + v.signed + ", Signature=" + v.signature
			if got := r.Header.Get("Authorization"); got != want {
				t.Fatalf("Authorization\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestCanonicalRequest_41 checks the canonical request and string to sign printed in §4.1, and the
// string-to-sign hash of §4.2.
func TestCanonicalRequest_41(t *testing.T) {
	v := vectors[0]
	r, _ := v.request(v.signature)
	creq := CanonicalRequest(r.Method, r.URL.Path, r.URL.Query(), strings.Split(sdkHeaders, ";"), r.Header.Values,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	want := "GET\n/v2.0/0123456789abcdef0123456789abcdef/resources/\nkind=jar&tags=k1%3Dv1\n" +
		"user-agent:huaweicloud-usdk-go/3.0; probe/1.0\nx-project-id:0123456789abcdef0123456789abcdef\n" +
		"x-sdk-date:20250102T030405Z\n\nuser-agent;x-project-id;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if creq != want {
		t.Fatalf("canonical request\n%s\nwant\n%s", creq, want)
	}
	if sts := StringToSign(vecDate, creq); sts != "SDK-HMAC-SHA256\n20250102T030405Z\nc88e0ad2836878a30300fff6d51c41ac94def553aae2519b2023eb3dfecc7a9e" {
		t.Fatalf("string to sign %q", sts)
	}
	v = vectors[2]
	r, body := v.request(v.signature)
	if h := sha256Hex(body); h != "e71c794af80f3baf8d7be7a334c987ad05afa228482190cd37a59704bfa7d999" {
		t.Fatalf("body hash %s", h)
	}
	creq = CanonicalRequest(r.Method, r.URL.Path, r.URL.Query(), strings.Split(sdkHeaders, ";"), r.Header.Values, sha256Hex(body))
	if h := sha256Hex([]byte(creq)); h != "c0912d34fe9484d0a82b62ec4ca4c6129cdd7d500b96d3d81057cc4aa6d583c9" {
		t.Fatalf("canonical request hash %s", h)
	}
}

func TestCanonicalURI(t *testing.T) {
	for path, want := range map[string]string{
		"/v2.0/p/resources":                   "/v2.0/p/resources/",
		"/v2.0/p/resources/":                  "/v2.0/p/resources/",
		"/v2.0/p/resources/spark app!v1.jar":  "/v2.0/p/resources/spark%20app%21v1.jar/",
		"/v2.0/p/resources/a+b%c~d*e(f).jar":  "/v2.0/p/resources/a%2Bb%25c~d%2Ae%28f%29.jar/",
		"/v2.0/p/resources/{x}":               "/v2.0/p/resources/%7Bx%7D/",
		"":                                    "/",
		"/v2.0/p/resources/\u00e9t\u00e9.jar": "/v2.0/p/resources/%C3%A9t%C3%A9.jar/",
	} {
		if got := CanonicalURI(path); got != want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", path, got, want)
		}
	}
}

// signedRequest is a fresh SDK-shaped request signed at ts with the vector key.
func signedRequest(method, target, body string, ts time.Time) (*http.Request, []byte) {
	r := httptest.NewRequest(method, "http://127.0.0.1:18765"+target, strings.NewReader(body))
	r.Header.Set("User-Agent", vecUA)
	r.Header.Set("X-Project-Id", vecProject)
	r.Header.Set("Content-Type", "application/json")
	Sign(r, []byte(body), vecAK, vecSK, ts)
	return r, []byte(body)
}

func TestVerify_Refusals(t *testing.T) {
	ts := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	newVerifier := func() *Verifier {
		now := func() time.Time { return ts }
		return &Verifier{Keys: testKeys{vecAK: vecSK}, Nonces: &api.MemoryNonceStore{Now: now}, Now: now}
	}
	target := "/v2.0/" + vecProject + "/resources"
	run := func(t *testing.T, change func(r *http.Request)) error {
		t.Helper()
		r, body := signedRequest("POST", target, uploadBody, ts)
		change(r)
		_, err := newVerifier().Verify(r, body)
		return err
	}
	t.Run("NotSigned", func(t *testing.T) {
		for _, h := range []string{"", "ACS3-HMAC-SHA256 Credential=x", "acs AK:sig", "Bearer x"} {
			err := run(t, func(r *http.Request) { r.Header.Set("Authorization", h) })
			if !errors.Is(err, api.ErrNotSigned) {
				t.Errorf("Authorization %q: err = %v, want ErrNotSigned", h, err)
			}
		}
	})
	t.Run("OtherAlgorithm", func(t *testing.T) {
		err := run(t, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), Algorithm, "SDK-HMAC-SM3", 1))
		})
		assertAuth(t, err, api.AuthUnsupported)
	})
	t.Run("MissingPieces", func(t *testing.T) {
		for _, h := range []string{Algorithm + " ", Algorithm + " Access=, SignedHeaders=x-sdk-date, Signature=ab",
			Algorithm + " Access=a, Signature=ab", Algorithm + " Access=a, SignedHeaders=x-sdk-date"} {
			err := run(t, func(r *http.Request) { r.Header.Set("Authorization", h) })
			var e *api.AuthError
			if !errors.As(err, &e) || e.Status != 401 || e.Code != CodeAuth {
				t.Errorf("Authorization %q: err = %v", h, err)
			}
		}
	})
	t.Run("DateNotSigned", func(t *testing.T) {
		err := run(t, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-sdk-date", "", 1))
		})
		assertAuth(t, err, api.AuthMalformed)
	})
	t.Run("UnknownKey", func(t *testing.T) {
		err := run(t, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), vecAK, "NOSUCHKEY", 1))
		})
		assertAuth(t, err, api.AuthUnknownKey)
	})
	t.Run("DisabledKey", func(t *testing.T) {
		r, body := signedRequest("POST", target, uploadBody, ts)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), vecAK, "DISABLED", 1))
		_, err := newVerifier().Verify(r, body)
		assertAuth(t, err, api.AuthDisabledKey)
	})
	t.Run("KeyStoreDown", func(t *testing.T) {
		err := run(t, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), vecAK, "BROKEN", 1))
		})
		var e *api.AuthError
		if err == nil || errors.As(err, &e) {
			t.Fatalf("err = %v, want an internal error", err)
		}
	})
	t.Run("BadDate", func(t *testing.T) {
		err := run(t, func(r *http.Request) { r.Header.Set("X-Sdk-Date", "2025-01-02T03:04:05Z") })
		assertAuth(t, err, api.AuthBadTime)
	})
	t.Run("StaleDate", func(t *testing.T) {
		for _, d := range []time.Duration{-16 * time.Minute, 16 * time.Minute} {
			r, body := signedRequest("POST", target, uploadBody, ts.Add(d))
			_, err := newVerifier().Verify(r, body)
			assertAuth(t, err, api.AuthExpired)
		}
		r, body := signedRequest("POST", target, uploadBody, ts.Add(-14*time.Minute))
		if _, err := newVerifier().Verify(r, body); err != nil {
			t.Fatalf("14 minutes old: %v", err)
		}
	})
	t.Run("Tampered", func(t *testing.T) {
		for name, change := range map[string]func(r *http.Request){
			"path":     func(r *http.Request) { r.URL.Path += "/jars" },
			"query":    func(r *http.Request) { r.URL.RawQuery = "kind=jar" },
			"method":   func(r *http.Request) { r.Method = "PUT" },
			"header":   func(r *http.Request) { r.Header.Set("X-Project-Id", "other") },
			"date":     func(r *http.Request) { r.Header.Set("X-Sdk-Date", "20250102T030406Z") },
			"unsigned": func(r *http.Request) { r.Header.Set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD") },
		} {
			if err := run(t, change); err == nil {
				t.Errorf("%s changed: accepted", name)
			}
		}
		r, _ := signedRequest("POST", target, uploadBody, ts)
		_, err := newVerifier().Verify(r, []byte(strings.Replace(uploadBody, "g1", "g2", 1)))
		assertAuth(t, err, api.AuthMismatch)
	})
	t.Run("UnsignedPayload", func(t *testing.T) {
		r := httptest.NewRequest("POST", "http://h"+target, strings.NewReader("raw-bytes"))
		r.Header.Set("Content-Type", "application/octet-stream")
		r.Header.Set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")
		Sign(r, []byte("raw-bytes"), vecAK, vecSK, ts)
		v := newVerifier()
		if _, err := v.Verify(r, []byte("raw-bytes")); err != nil {
			t.Fatalf("UNSIGNED-PAYLOAD is the SDK's own: %v", err)
		}
		v = newVerifier()
		v.SignedBodies = true
		_, err := v.Verify(r, []byte("raw-bytes"))
		assertAuth(t, err, api.AuthUnsupported)
	})
	t.Run("SecurityToken", func(t *testing.T) {
		r := httptest.NewRequest("GET", "http://h"+target, nil)
		r.Header.Set("X-Security-Token", "sts")
		Sign(r, nil, vecAK, vecSK, ts)
		_, err := newVerifier().Verify(r, nil)
		assertAuth(t, err, api.AuthUnsupported)
	})
	t.Run("Replay", func(t *testing.T) {
		v := newVerifier()
		r, body := signedRequest("POST", target, uploadBody, ts)
		if _, err := v.Verify(r, body); err != nil {
			t.Fatal(err)
		}
		_, err := v.Verify(r, body)
		assertAuth(t, err, api.AuthReplayed)
		// A second write signed a second later is a new request.
		r, body = signedRequest("POST", target, uploadBody, ts.Add(time.Second))
		if _, err := v.Verify(r, body); err != nil {
			t.Fatalf("next second: %v", err)
		}
		// Reads repeat freely: a poll within the same second is byte-identical.
		r, body = signedRequest("GET", target, "", ts)
		for range 2 {
			if _, err := v.Verify(r, body); err != nil {
				t.Fatalf("repeated read: %v", err)
			}
		}
	})
	t.Run("ReplayStoreDown", func(t *testing.T) {
		v := newVerifier()
		v.Nonces = failingNonces{}
		r, body := signedRequest("DELETE", target+"/a.jar", "", ts)
		_, err := v.Verify(r, body)
		var e *api.AuthError
		if err == nil || errors.As(err, &e) {
			t.Fatalf("err = %v, want an internal error", err)
		}
	})
}

// testKeys has one good key per entry, plus DISABLED and BROKEN (whose lookup fails).
type testKeys map[string]string

func (k testKeys) LookupSecret(_ context.Context, id string) (string, error) {
	switch id {
	case "DISABLED":
		return "", api.ErrKeyDisabled
	case "BROKEN":
		return "", errors.New("database is down")
	}
	if s, ok := k[id]; ok {
		return s, nil
	}
	return "", api.ErrKeyNotFound
}

type failingNonces struct{}

func (failingNonces) UseNonce(context.Context, string, string, time.Time) (bool, error) {
	return false, errors.New("database is down")
}
