package auth

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// FuzzPercentEncode checks the encoding against its definition and against the SDKs' formula.
func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "abc", "a b*~+/", "业务流程", "\x00\xff%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PercentEncode(s)
		sdk := strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		sdk = strings.ReplaceAll(sdk, "*", "%2A")
		sdk = strings.ReplaceAll(sdk, "%7E", "~")
		if got != sdk {
			t.Fatalf("PercentEncode(%q) = %q, SDK formula gives %q", s, got, sdk)
		}
		for i := 0; i < len(got); i++ {
			if c := got[i]; !unreserved(c) && c != '%' {
				t.Fatalf("PercentEncode(%q) = %q contains %q", s, got, c)
			}
		}
		if back, err := url.PathUnescape(got); err != nil || back != s {
			t.Fatalf("PercentEncode(%q) = %q does not decode back (%q, %v)", s, got, back, err)
		}
	})
}

// FuzzCanonicalQuery cross-checks the three schemes' canonicalisation against the vendor's own functions
// (darabonba-openapi utils) on arbitrary keys, values, paths and header values.
func FuzzCanonicalQuery(f *testing.F) {
	f.Add("POST", "/", "Action", "ListFiles", "Keyword", "ods *~+", "static_ak")
	f.Add("GET", "/api/v1/projects/p%20A/packages", "sourceProject", "", "k*+%7E", "a=b&c", " x ")
	f.Fuzz(func(t *testing.T, method, path, k1, v1, k2, v2, hv string) {
		query := map[string]*string{k1: dara.String(v1), k2: dara.String(v2)}
		values := url.Values{}
		for k, v := range query {
			values.Set(k, *v)
		}

		// v1
		want := dara.StringValue(openapiutil.GetRPCSignature(query, dara.String(method), dara.String("s")))
		if got := rpcSignature(rpcStringToSign(method, values), "s"); got != want && k1 != "Signature" && k2 != "Signature" {
			t.Fatalf("v1 signature = %s, vendor %s", got, want)
		}

		// ACS3
		headers := map[string]*string{"host": dara.String("h:1"), "x-acs-action": dara.String("A"),
			"x-acs-content-sha256": dara.String(sha256Hex(nil)), "x-acs-extra": dara.String(hv),
			"content-type": dara.String(hv)}
		req := &dara.Request{Method: dara.String(method), Pathname: dara.String(path), Query: query, Headers: headers}
		auth := dara.StringValue(openapiutil.GetAuthorization(req, dara.String(algACS3), dara.String(sha256Hex(nil)),
			dara.String("ak"), dara.String("s")))
		names := []string{"content-type", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-extra"}
		creq := acs3CanonicalRequest(method, acs3CanonicalURI(path), acs3CanonicalQuery(values),
			acs3CanonicalHeaders(names, func(n string) []string { return []string{*headers[n]} }),
			strings.Join(names, ";"), sha256Hex(nil))
		mine := algACS3 + " Credential=ak,SignedHeaders=" + strings.Join(names, ";") + ",Signature=" +
			acs3Signature(acs3StringToSign(creq), "s")
		if mine != auth {
			t.Fatalf("ACS3 Authorization:\n got %s\nvendor %s\ncanonical request %q", mine, auth, creq)
		}

		// legacy ROA
		roaHeaders := map[string]*string{"accept": dara.String("application/json"), "date": dara.String(hv),
			"x-acs-signature-nonce": dara.String(hv), "x-acs-action": dara.String("A")}
		wantSTS := dara.StringValue(openapiutil.GetStringToSign(&dara.Request{Method: dara.String(method),
			Pathname: dara.String(path), Query: query, Headers: roaHeaders}))
		h := http.Header{"X-Acs-Signature-Nonce": {hv}, "X-Acs-Action": {"A"}}
		gotSTS := roaStringToSign(method, "application/json", "", "", hv, roaCanonicalHeaders(h),
			roaCanonicalResource(path, values))
		if hv == strings.TrimSpace(hv) && gotSTS != wantSTS {
			t.Fatalf("ROA string to sign:\n got %q\nvendor %q", gotSTS, wantSTS)
		}
	})
}

// wireSafe reports whether s can travel in a request line or header value unchanged.
func wireSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// validMethod reports whether m is an HTTP token.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !unreserved(c) && !strings.ContainsRune("!#$%&'*+^`|", rune(c)) {
			return false
		}
	}
	return true
}

// FuzzVerifyRPC: arbitrary requests never panic and are never accepted; a request SignRPC signed is
// accepted; any parameter added after signing, a changed method or the wrong secret is refused.
func FuzzVerifyRPC(f *testing.F) {
	f.Add("POST", "Action=ListFiles&Version=2020-05-18&Signature=abc&AccessKeyId=testid", "ProjectId=1&Keyword=a+b", "x", "1")
	f.Add("GET", "SignatureType=BEARERTOKEN&a=%zz&;", "", "Signature", "")
	f.Add("POST", "", "Timestamp=2024-11-21T08:00:00Z&SignatureNonce=n", "Action", "Other")
	f.Fuzz(func(t *testing.T, method, rawQuery, body, addKey, addVal string) {
		mkReq := func(m, q, b string) (*http.Request, url.Values, url.Values) {
			r := &http.Request{Method: m, URL: &url.URL{Path: "/", RawQuery: q}, Host: "127.0.0.1:8080",
				Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
			query, _ := url.ParseQuery(q)
			form, _ := url.ParseQuery(b)
			return r, query, form
		}
		// Untrusted input as is.
		r, query, form := mkReq(method, rawQuery, body)
		if _, err := newTestVerifier().VerifyRPC(r, query, form, []byte(body)); err == nil {
			t.Fatalf("accepted an unsigned request: %s ?%s %s", method, rawQuery, body)
		}

		// The same parameters, signed.
		if !validMethod(method) {
			method = "POST"
		}
		params, _ := url.ParseQuery(rawQuery)
		params.Del("BearerToken")
		params.Del("SignatureType")
		for _, p := range []string{"Action", "Version"} {
			if params.Get(p) == "" {
				params.Set(p, "X")
			}
		}
		formParams, _ := url.ParseQuery(body)
		for k := range formParams {
			if _, inQuery := params[k]; inQuery || k == "BearerToken" || k == "SignatureType" {
				delete(formParams, k)
			}
		}
		all := url.Values{}
		for k, vs := range params {
			all[k] = vs
		}
		for k, vs := range formParams {
			all[k] = vs
		}
		SignRPC(method, all, "testid", "testsecret", testNow, "nonce")
		for k := range formParams {
			if all.Get(k) != formParams.Get(k) { // SignRPC overwrote a common parameter
				delete(formParams, k)
			}
		}
		q := url.Values{}
		for k, vs := range all {
			if _, inForm := formParams[k]; !inForm {
				q[k] = vs
			}
		}
		r, query, form = mkReq(method, q.Encode(), formParams.Encode())
		if _, err := newTestVerifier().VerifyRPC(r, query, form, []byte(formParams.Encode())); err != nil {
			t.Fatalf("refused a signed request: %v\nquery %v\nform %v", err, query, form)
		}

		// Tampered: one more parameter.
		q2 := url.Values{}
		for k, vs := range q {
			q2[k] = append([]string(nil), vs...)
		}
		q2.Add(addKey, addVal)
		r, query, form = mkReq(method, q2.Encode(), formParams.Encode())
		if _, err := newTestVerifier().VerifyRPC(r, query, form, nil); err == nil {
			t.Fatalf("accepted a request with an added parameter %q=%q", addKey, addVal)
		}
		// Tampered: another method.
		r, query, form = mkReq(method+"X", q.Encode(), formParams.Encode())
		if _, err := newTestVerifier().VerifyRPC(r, query, form, nil); err == nil {
			t.Fatal("accepted a request under another method")
		}
		// Signed with another secret.
		SignRPC(method, all, "testid", "testsecret2", testNow, "nonce")
		r, query, form = mkReq(method, all.Encode(), "")
		if _, err := newTestVerifier().VerifyRPC(r, query, form, nil); err == nil {
			t.Fatal("accepted a request signed with another secret")
		}
	})
}

// sendSigned signs a request with sign, sends it over the wire, and returns what the server sees; ok is
// false when the fuzz input cannot form an HTTP request at all.
func sendSigned(t *testing.T, method, path, rawQuery string, body []byte, hv string,
	sign func(*http.Request, []byte), edit func(*http.Request, *[]byte)) (*http.Request, []byte, bool) {
	t.Helper()
	if !validMethod(method) || !wireSafe(hv) {
		return nil, nil, false
	}
	req, err := http.NewRequest(method, "http://127.0.0.1:8080/", nil)
	if err != nil {
		return nil, nil, false
	}
	req.URL.Path = "/" + strings.TrimLeft(path, "/")
	q, _ := url.ParseQuery(rawQuery)
	req.URL.RawQuery = q.Encode()
	req.Header.Set("x-acs-action", "A")
	req.Header.Set("x-acs-version", "V")
	req.Header.Set("x-acs-extra", hv)
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	sign(req, body)
	if edit != nil {
		edit(req, &body)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		return nil, nil, false
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("server cannot parse what the client wrote: %v", err)
	}
	got, _ := io.ReadAll(sr.Body)
	return sr, got, true
}

// fuzzSignedROA runs the signed / tampered / wrong-secret checks shared by the ROA-path fuzzers.
func fuzzSignedROA(t *testing.T, method, path, rawQuery string, body []byte, hv string, tamper uint8,
	sign func(r *http.Request, body []byte, secret string)) {
	signWith := func(secret string) func(*http.Request, []byte) {
		return func(r *http.Request, b []byte) { sign(r, b, secret) }
	}
	r, got, ok := sendSigned(t, method, path, rawQuery, body, hv, signWith("testsecret"), nil)
	if !ok {
		return
	}
	if _, err := newTestVerifier().VerifyROA(r, got); err != nil {
		t.Fatalf("refused a signed request: %v\n%s %s", err, r.Method, r.RequestURI)
	}
	edits := []func(*http.Request, *[]byte){
		func(_ *http.Request, b *[]byte) { *b = append(*b, 'x') },
		func(r *http.Request, _ *[]byte) { r.URL.RawQuery += "&tampered=1" },
		func(r *http.Request, _ *[]byte) { r.Method += "X" },
		func(r *http.Request, _ *[]byte) { r.Host = "other:8080" },
		func(r *http.Request, _ *[]byte) { r.URL.Path += "x"; r.URL.RawPath = "" },
		func(r *http.Request, _ *[]byte) { r.Header.Set("x-acs-action", "B") },
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "acs ") {
		// The legacy scheme does not sign Host.
		edits[3] = func(r *http.Request, _ *[]byte) { r.Header.Set("Date", "Thu, 21 Nov 2024 08:00:01 GMT") }
	}
	r, got, ok = sendSigned(t, method, path, rawQuery, body, hv, signWith("testsecret"), edits[int(tamper)%len(edits)])
	if !ok {
		return
	}
	if _, err := newTestVerifier().VerifyROA(r, got); err == nil {
		t.Fatalf("accepted a request after tamper %d: %s %s", int(tamper)%len(edits), r.Method, r.RequestURI)
	}
	r, got, _ = sendSigned(t, method, path, rawQuery, body, hv, signWith("wrong"), nil)
	if _, err := newTestVerifier().VerifyROA(r, got); err == nil {
		t.Fatal("accepted a request signed with another secret")
	}
}

// FuzzVerifyACS3: garbage never panics or passes; SignACS3 output passes; tampering is refused.
func FuzzVerifyACS3(f *testing.F) {
	f.Add("GET", "api/v1/projects/p A/packages/x*~+", "sourceProject=b&e=", []byte(nil), "v", uint8(0),
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=00")
	f.Add("POST", "/", "a=%zz&;b", []byte(`{"a":1}`), " s ", uint8(4), "ACS3-x ,,=")
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte, hv string, tamper uint8, auth string) {
		garbage := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Host: hv,
			Header: http.Header{"Authorization": {"ACS3-" + auth}, "X-Acs-Date": {hv},
				"X-Acs-Signature-Nonce": {hv}, "X-Acs-Content-Sha256": {sha256Hex(body)}}}
		if _, err := newTestVerifier().VerifyROA(garbage, body); err == nil {
			t.Fatal("accepted an unsigned request")
		}
		query, _ := url.ParseQuery(rawQuery)
		if _, err := newTestVerifier().VerifyRPC(garbage, query, nil, body); err == nil {
			t.Fatal("accepted an unsigned RPC request")
		}
		fuzzSignedROA(t, method, path, rawQuery, body, hv, tamper, func(r *http.Request, b []byte, secret string) {
			SignACS3(r, b, "testid", secret, testNow, "nonce")
		})
	})
}

// FuzzVerifyROA: the same for the legacy "acs AK:signature" scheme.
func FuzzVerifyROA(f *testing.F) {
	f.Add("GET", "api/v1/projects/p A/packages", "sourceProject=b&e=", []byte(nil), "v", uint8(0), "testid:abc=")
	f.Add("PUT", "/x%2Fy", "a=1&b=2", []byte(`{}`), "", uint8(5), ":")
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte, hv string, tamper uint8, auth string) {
		garbage := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Host: hv,
			Header: http.Header{"Authorization": {"acs " + auth}, "Date": {"Thu, 21 Nov 2024 08:00:00 GMT"},
				"X-Acs-Signature-Nonce": {hv}}}
		if _, err := newTestVerifier().VerifyROA(garbage, body); err == nil {
			t.Fatal("accepted an unsigned request")
		}
		fuzzSignedROA(t, method, path, rawQuery, body, hv, tamper, func(r *http.Request, b []byte, secret string) {
			SignROA(r, b, "testid", secret, testNow, "nonce")
		})
	})
}

// FuzzVerifyACS3Stream: the verifier of streamed bodies (native uploads and SQL scripts) refuses garbage
// and the legacy scheme, accepts what SignACS3Hash signed over the body's declared SHA-256, and refuses
// the request once its declared SHA-256, path, query, method, host or a signed header changed, or when
// another secret signed it.
func FuzzVerifyACS3Stream(f *testing.F) {
	f.Add("PUT", "sluice/v1/projects/p/resources/a.jar", "group=g&kind=jar", []byte("PK bytes"), "v", uint8(0),
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=00")
	f.Add("POST", "/sluice/v1/projects/p%2Fq/sql", "a=%zz&;b", []byte(`{"script":"DESC t;"}`), " s ", uint8(4), "acs testid:x")
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte, hv string, tamper uint8, authz string) {
		garbage := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Host: hv,
			Header: http.Header{"Authorization": {authz}, "X-Acs-Date": {hv},
				"X-Acs-Signature-Nonce": {hv}, "X-Acs-Content-Sha256": {sha256Hex(body)}}}
		if _, err := newTestVerifier().VerifyACS3Stream(garbage); err == nil {
			t.Fatal("accepted an unsigned request")
		}
		declared := sha256Hex(body)
		signWith := func(secret string) func(*http.Request, []byte) {
			return func(r *http.Request, _ []byte) { SignACS3Hash(r, declared, "testid", secret, testNow, "nonce") }
		}
		r, _, ok := sendSigned(t, method, path, rawQuery, nil, hv, signWith("testsecret"), nil)
		if !ok {
			return
		}
		if _, err := newTestVerifier().VerifyACS3Stream(r); err != nil {
			t.Fatalf("refused a signed request: %v\n%s %s", err, r.Method, r.RequestURI)
		}
		edits := []func(*http.Request, *[]byte){
			func(r *http.Request, _ *[]byte) { r.Header.Set("x-acs-content-sha256", sha256Hex(append(body, 'x'))) },
			func(r *http.Request, _ *[]byte) { r.URL.RawQuery += "&tampered=1" },
			func(r *http.Request, _ *[]byte) { r.Method += "X" },
			func(r *http.Request, _ *[]byte) { r.Host = "other:8080" },
			func(r *http.Request, _ *[]byte) { r.URL.Path += "x"; r.URL.RawPath = "" },
			func(r *http.Request, _ *[]byte) { r.Header.Set("x-acs-action", "B") },
		}
		r, _, ok = sendSigned(t, method, path, rawQuery, nil, hv, signWith("testsecret"), edits[int(tamper)%len(edits)])
		if !ok {
			return
		}
		if _, err := newTestVerifier().VerifyACS3Stream(r); err == nil {
			t.Fatalf("accepted a request after tamper %d: %s %s", int(tamper)%len(edits), r.Method, r.RequestURI)
		}
		r, _, _ = sendSigned(t, method, path, rawQuery, nil, hv, signWith("wrong"), nil)
		if _, err := newTestVerifier().VerifyACS3Stream(r); err == nil {
			t.Fatal("accepted a request signed with another secret")
		}
		r, got, _ := sendSigned(t, method, path, rawQuery, body, hv, func(r *http.Request, b []byte) {
			SignROA(r, b, "testid", "testsecret", testNow, "nonce")
		}, nil)
		if _, err := newTestVerifier().VerifyACS3Stream(r); err == nil {
			t.Fatalf("accepted the legacy scheme for a streamed body (%d bytes)", len(got))
		}
	})
}
