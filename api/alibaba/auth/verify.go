package auth

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sluice-dev/sluice/api"
)

// Verifier authenticates signed requests against a KeyStore and records nonces in a NonceStore.
type Verifier struct {
	Keys    api.KeyStore
	Nonces  api.NonceStore
	Now     func() time.Time // nil = time.Now
	MaxSkew time.Duration    // 0 = api.DefaultMaxSkew, the window the vendor documents
}

func (v *Verifier) window() api.Window { return api.Window{Now: v.Now, MaxSkew: v.MaxSkew} }

// VerifyRPC authenticates an RPC request (path "/"): v1 signature in query/form (shapes A and C and the plain GET),
// or ACS3 in the Authorization header (shape B). query is r.URL.Query() parsed from the raw query; form is the
// decoded x-www-form-urlencoded body (nil when none); body is the exact body bytes (r.Body is already consumed).
func (v *Verifier) VerifyRPC(r *http.Request, query, form url.Values, body []byte) (Result, error) {
	// Bearer first: OLD sends a Signature computed with an empty secret next to the bearer token, so the
	// v1 test would otherwise report a confusing key error.
	if strings.EqualFold(firstParam("SignatureType", query, form), "BEARERTOKEN") ||
		query.Has("BearerToken") || form.Has("BearerToken") || r.Header.Get("x-acs-bearer-token") != "" {
		return Result{}, errBearer()
	}
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "ACS3-"):
		return v.verifyACS3(r, query, body, true, false)
	case query.Has("Signature") || form.Has("Signature"):
		return v.verifyRPCV1(r, query, form)
	case auth != "":
		return Result{}, errIncomplete("RPC requests carry an ACS3 Authorization header or a Signature parameter")
	}
	return Result{}, errMissing("Signature")
}

// VerifyROA authenticates a ROA request: ACS3 header, or legacy "Authorization: acs AK:signature".
func (v *Verifier) VerifyROA(r *http.Request, body []byte) (Result, error) {
	if r.Header.Get("x-acs-bearer-token") != "" ||
		strings.EqualFold(r.Header.Get("x-acs-signature-type"), "BEARERTOKEN") {
		return Result{}, errBearer()
	}
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "ACS3-"):
		return v.verifyACS3(r, r.URL.Query(), body, false, false)
	case strings.HasPrefix(auth, "acs "):
		return v.verifyROAV1(r, body)
	case auth != "":
		return Result{}, errIncomplete("the Authorization header is neither ACS3 nor acs")
	}
	return Result{}, errMissing("Signature")
}

// RPC is v as an api.Verifier of RPC requests; ROA likewise for ROA requests.
func (v *Verifier) RPC() api.Verifier { return rpcVerifier{v} }

// ROA is v as an api.Verifier of ROA requests (and of Sluice's native API, which is signed the same way).
func (v *Verifier) ROA() api.Verifier { return roaVerifier{v} }

// ACS3Stream is v as an api.Verifier of requests whose body is streamed, not read first (VerifyACS3Stream):
// Verify ignores its body argument, and the caller must check the body it streams against the SHA-256 the
// request declared and signed (x-acs-content-sha256) before acting on it.
func (v *Verifier) ACS3Stream() api.Verifier { return streamVerifier{v} }

type streamVerifier struct{ v *Verifier }

func (a streamVerifier) Verify(r *http.Request, _ []byte) (api.Signed, error) {
	return signed(a.v.VerifyACS3Stream(r))
}

type rpcVerifier struct{ v *Verifier }

// Verify parses the query and a form body as the RPC face does; both were checked well formed before.
func (a rpcVerifier) Verify(r *http.Request, body []byte) (api.Signed, error) {
	query, _ := url.ParseQuery(r.URL.RawQuery)
	var form url.Values
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && len(body) > 0 {
		form, _ = url.ParseQuery(string(body))
	}
	return signed(a.v.VerifyRPC(r, query, form, body))
}

type roaVerifier struct{ v *Verifier }

func (a roaVerifier) Verify(r *http.Request, body []byte) (api.Signed, error) {
	return signed(a.v.VerifyROA(r, body))
}

// signed converts a verification result for the seam. A request with no signature at all is
// api.ErrNotSigned there: another scheme may claim it, and Refuse(api.AuthMissing) answers it in the same
// words (MissingSignature) when none does.
func signed(res Result, err error) (api.Signed, error) {
	var ae *api.AuthError
	if errors.As(err, &ae) && ae.Code == CodeMissingSignature {
		return api.Signed{}, api.ErrNotSigned
	}
	if err != nil {
		return api.Signed{}, err
	}
	return api.Signed{AccessKeyID: res.AccessKeyID, Scheme: string(res.Scheme), Action: res.Action, Version: res.Version}, nil
}

// VerifyACS3Stream authenticates an ACS3-signed request whose body is still to be read: the signature
// covers the body's declared SHA-256 (x-acs-content-sha256), which the caller must compare with the body
// it streams before acting on it.
func (v *Verifier) VerifyACS3Stream(r *http.Request) (Result, error) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-") {
		return Result{}, errIncomplete("a streamed body must be signed with ACS3")
	}
	return v.verifyACS3(r, r.URL.Query(), nil, false, true)
}

func firstParam(name string, sets ...url.Values) string {
	for _, s := range sets {
		if vs, ok := s[name]; ok && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func (v *Verifier) verifyRPCV1(r *http.Request, query, form url.Values) (Result, error) {
	params := make(url.Values, len(query)+len(form))
	for k, vs := range query {
		params[k] = append(params[k], vs...)
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	// The common parameters a v1 request must carry, in the order they are reported missing.
	for _, name := range [...]string{"Signature", "AccessKeyId", "Action", "Version", "SignatureMethod",
		"SignatureVersion", "SignatureNonce", "Timestamp"} {
		if params.Get(name) == "" {
			return Result{}, errMissing(name)
		}
	}
	// Only one Signature is compared; more would be unsigned extras riding along.
	if len(params["Signature"]) != 1 {
		return Result{}, errIncomplete("Signature is given more than once")
	}
	ak := params.Get("AccessKeyId")
	secret, err := v.lookup(r.Context(), ak)
	if err != nil {
		return Result{}, err
	}
	if m := params.Get("SignatureMethod"); m != "HMAC-SHA1" {
		return Result{}, errMethod(m)
	}
	if sv := params.Get("SignatureVersion"); sv != "1.0" {
		return Result{}, errVersion(sv)
	}
	ts, err := v.checkTime(params.Get("Timestamp"), timestampLayout)
	if err != nil {
		return Result{}, err
	}
	sts := rpcStringToSign(r.Method, params)
	if !hmac.Equal([]byte(rpcSignature(sts, secret)), []byte(params.Get("Signature"))) {
		return Result{}, errMismatch(sts)
	}
	if err := v.useNonce(r.Context(), ak, params.Get("SignatureNonce"), ts); err != nil {
		return Result{}, err
	}
	return Result{AccessKeyID: ak, Scheme: SchemeRPCV1, Action: params.Get("Action"), Version: params.Get("Version")}, nil
}

// acs3Authorization is the parsed "ACS3-… Credential=…,SignedHeaders=…,Signature=…" header.
type acs3Authorization struct {
	algorithm     string
	credential    string
	signedHeaders string
	signature     string
}

func parseACS3Authorization(h string) (acs3Authorization, error) {
	alg, rest, ok := strings.Cut(h, " ")
	if !ok {
		return acs3Authorization{}, errIncomplete("the ACS3 Authorization header has no parameters")
	}
	a := acs3Authorization{algorithm: alg}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return acs3Authorization{}, errIncomplete("malformed Authorization parameter %q", part)
		}
		if seen[k] {
			return acs3Authorization{}, errIncomplete("Authorization parameter %s is repeated", k)
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = val
		case "SignedHeaders":
			a.signedHeaders = val
		case "Signature":
			a.signature = val
		}
	}
	switch {
	case a.credential == "":
		return acs3Authorization{}, errIncomplete("the Authorization header has no Credential")
	case a.signedHeaders == "":
		return acs3Authorization{}, errIncomplete("the Authorization header has no SignedHeaders")
	case a.signature == "":
		return acs3Authorization{}, errIncomplete("the Authorization header has no Signature")
	}
	return a, nil
}

func (v *Verifier) verifyACS3(r *http.Request, query url.Values, body []byte, rpc, streamed bool) (Result, error) {
	a, err := parseACS3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		return Result{}, err
	}
	signed := strings.Split(a.signedHeaders, ";")
	for i, name := range signed {
		// DARA lower-cases and sorts; insisting on that keeps a single canonical form per request.
		if name == "" || name != strings.ToLower(name) || (i > 0 && signed[i-1] >= name) {
			return Result{}, errIncomplete("SignedHeaders must be lower-case, sorted and unique")
		}
	}
	// Headers every ACS3 request must sign. x-acs-action and x-acs-version are added for RPC, where they
	// select the API; a ROA request is dispatched on method and path (and Sluice's native API may omit
	// them). DARA always sends and so signs both, and like every x-acs-* header they must be signed when
	// present (checked below).
	required := []string{"host", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"}
	if rpc {
		required = append(required, "x-acs-action", "x-acs-version")
	}
	for _, name := range required {
		if _, ok := slices.BinarySearch(signed, name); !ok {
			return Result{}, errIncomplete("SignedHeaders must include %s", name)
		}
		if name != "host" && len(r.Header.Values(name)) != 1 {
			return Result{}, errIncomplete("header %s must be sent exactly once", name)
		}
	}
	for name := range r.Header {
		lname := strings.ToLower(name)
		if _, ok := slices.BinarySearch(signed, lname); strings.HasPrefix(lname, "x-acs-") && !ok {
			return Result{}, errIncomplete("header %s must be signed", lname)
		}
	}
	if got := r.Header.Get("x-acs-content-sha256"); !streamed && got != sha256Hex(body) {
		return Result{}, authError(http.StatusBadRequest, CodeInvalidParameter,
			"x-acs-content-sha256 does not match the SHA-256 of the request body")
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return Result{}, errMissing("SignatureNonce")
	}

	secret, err := v.lookup(r.Context(), a.credential)
	if err != nil {
		return Result{}, err
	}
	if a.algorithm != algACS3 {
		// ACS3-HMAC-SM3 and ACS3-RSA-SHA256 exist but no Sluice key can be used with them.
		return Result{}, errMethod(a.algorithm)
	}
	ts, err := v.checkTime(r.Header.Get("x-acs-date"), timestampLayout)
	if err != nil {
		return Result{}, err
	}
	headers := acs3CanonicalHeaders(signed, func(name string) []string {
		if name == "host" {
			// Go moves Host out of the header map. It is signed exactly as the client sent it, port
			// included, so it must not be normalised.
			return []string{r.Host}
		}
		return r.Header.Values(name)
	})
	creq := acs3CanonicalRequest(r.Method, acs3CanonicalURI(r.URL.EscapedPath()), acs3CanonicalQuery(query),
		headers, a.signedHeaders, r.Header.Get("x-acs-content-sha256"))
	sts := acs3StringToSign(creq)
	if !hmac.Equal([]byte(acs3Signature(sts, secret)), []byte(a.signature)) {
		// The canonical request is what a client author needs to find the difference; the hash line
		// alone is useless. The string to sign still ends the message, as OLD expects.
		return Result{}, authError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			"Specified signature is not matched with our calculation. server canonical request is:%s\n%s%s",
			creq, stringToSignMarker, sts)
	}
	if err := v.useNonce(r.Context(), a.credential, nonce, ts); err != nil {
		return Result{}, err
	}
	return Result{AccessKeyID: a.credential, Scheme: SchemeACS3,
		Action: r.Header.Get("x-acs-action"), Version: r.Header.Get("x-acs-version")}, nil
}

func (v *Verifier) verifyROAV1(r *http.Request, body []byte) (Result, error) {
	ak, sig, ok := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "acs "), ":")
	if !ok || sig == "" {
		return Result{}, errIncomplete(`the Authorization header is not "acs AccessKeyId:Signature"`)
	}
	if ak == "" {
		return Result{}, errMissing("AccessKeyId")
	}
	date := r.Header.Get("Date")
	if date == "" {
		return Result{}, errMissing("Date")
	}
	// The legacy string to sign does not cover the body; Content-MD5 does when the client sends it (OLD
	// always does), so check it. DARA sends none and its body is then unauthenticated; that is the
	// scheme's weakness, and why DARA's default is ACS3.
	if md := r.Header.Get("Content-MD5"); md != "" {
		sum := md5.Sum(body)
		if md != base64.StdEncoding.EncodeToString(sum[:]) {
			return Result{}, authError(http.StatusBadRequest, CodeInvalidParameter,
				"Content-MD5 does not match the request body")
		}
	}

	secret, err := v.lookup(r.Context(), ak)
	if err != nil {
		return Result{}, err
	}
	if m := r.Header.Get("x-acs-signature-method"); m != "" && m != "HMAC-SHA1" {
		return Result{}, errMethod(m)
	}
	if sv := r.Header.Get("x-acs-signature-version"); sv != "" && sv != "1.0" {
		return Result{}, errVersion(sv)
	}
	// Both SDKs send Date in http.TimeFormat and no x-acs-date on this path, and Date is what is signed,
	// so Date alone decides the window.
	ts, err := v.checkTime(date, http.TimeFormat)
	if err != nil {
		return Result{}, err
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	query := r.URL.Query()
	headers := roaCanonicalHeaders(r.Header)
	stringToSign := func(path string) string {
		return roaStringToSign(r.Method, r.Header.Get("Accept"), r.Header.Get("Content-MD5"),
			r.Header.Get("Content-Type"), date, headers, roaCanonicalResource(path, query))
	}
	sts := stringToSign(r.URL.EscapedPath())
	match := hmac.Equal([]byte(roaSignature(sts, secret)), []byte(sig))
	// DARA signs the escaped path it sends; OLD signs the path with parameters substituted unescaped and
	// lets net/http escape it on the wire. OLD sends no nonce header, so only then is the decoded path
	// tried: a DARA request (always with a nonce) cannot be re-aimed at a path that decodes the same.
	if !match && nonce == "" && r.URL.Path != r.URL.EscapedPath() {
		match = hmac.Equal([]byte(roaSignature(stringToSign(r.URL.Path), secret)), []byte(sig))
	}
	if !match {
		return Result{}, errMismatch(sts)
	}
	if nonce == "" {
		// OLD sends no nonce. The comparison above was exact, so the signature cannot be re-encoded (e.g.
		// with different base64 padding bits) to dodge the check.
		nonce = api.SignatureNonce(r.Method, "roa-v1-signature:", sig)
	}
	if nonce != "" {
		if err := v.useNonce(r.Context(), ak, nonce, ts); err != nil {
			return Result{}, err
		}
	}
	return Result{AccessKeyID: ak, Scheme: SchemeROAV1,
		Action: r.Header.Get("x-acs-action"), Version: r.Header.Get("x-acs-version")}, nil
}

// lookup maps the KeyStore's sentinel errors to gateway errors and leaves everything else internal.
func (v *Verifier) lookup(ctx context.Context, accessKeyID string) (string, error) {
	if v.Keys == nil {
		return "", errors.New("auth: Verifier has no KeyStore")
	}
	secret, err := v.Keys.LookupSecret(ctx, accessKeyID)
	switch {
	case errors.Is(err, api.ErrKeyNotFound):
		return "", authError(http.StatusNotFound, CodeInvalidAccessKeyNotFound, "Specified access key is not found.")
	case errors.Is(err, api.ErrKeyDisabled):
		return "", authError(http.StatusBadRequest, CodeInvalidAccessKeyInactive, "Specified access key is disabled.")
	case err != nil:
		return "", fmt.Errorf("look up access key: %w", err)
	}
	return secret, nil
}

// checkTime parses the signed request time and checks it is within ±MaxSkew of now.
func (v *Verifier) checkTime(value, layout string) (time.Time, error) {
	ts, err := time.Parse(layout, value)
	if err != nil {
		return time.Time{}, authError(http.StatusBadRequest, CodeInvalidTimeStampFormat,
			"Specified time stamp or date value is not well formatted.")
	}
	if !v.window().Within(ts) {
		return time.Time{}, authError(http.StatusBadRequest, CodeInvalidTimeStampExpired,
			"Specified time stamp or date value is expired.")
	}
	return ts, nil
}

// useNonce records the nonce until the request's own time leaves the window: after that the timestamp
// check refuses the request anyway, so the store need not remember it longer.
//
// For a request its face marked read-only (api.WithNonceCheck) the nonce is recorded while the request
// is served, and the face waits for it before answering (api.NonceCheck).
func (v *Verifier) useNonce(ctx context.Context, accessKeyID, nonce string, ts time.Time) error {
	if v.Nonces == nil {
		return errors.New("auth: Verifier has no NonceStore")
	}
	record := func() error { return v.recordNonce(ctx, accessKeyID, nonce, ts) }
	if api.Defer(ctx, record) {
		return nil
	}
	return record()
}

func (v *Verifier) recordNonce(ctx context.Context, accessKeyID, nonce string, ts time.Time) error {
	fresh, err := v.Nonces.UseNonce(ctx, accessKeyID, nonce, ts.Add(v.window().Skew()))
	if err != nil {
		return fmt.Errorf("record signature nonce: %w", err)
	}
	if !fresh {
		return authError(http.StatusBadRequest, CodeSignatureNonceUsed, "Specified signature nonce was used already.")
	}
	return nil
}

func errMethod(m string) *api.AuthError {
	return authError(http.StatusBadRequest, CodeInvalidSignatureMethod,
		"Specified signature method %q is not supported.", m)
}

func errVersion(sv string) *api.AuthError {
	return authError(http.StatusBadRequest, CodeInvalidSignatureVersion,
		"Specified signature version %q is not supported.", sv)
}
