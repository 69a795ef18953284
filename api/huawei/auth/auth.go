// Package auth authenticates requests signed the way the Huawei Cloud SDKs sign them (SDK-HMAC-SHA256, the
// default of huaweicloud-sdk-go-v3 core/auth/signer), and signs requests the same way for Sluice's own
// clients and tests. Spec: huawei-signing.md §2–§4.
//
// Verification runs in a fixed order, as for the Alibaba schemes: structural checks, key lookup, the
// X-Sdk-Date window, the signature (constant time), and only then replay protection, so a request without a
// valid signature can never use up another request's nonce.
//
// Every failure the caller caused is an *api.AuthError answered 401 APIGW.0301 "Incorrect IAM
// authentication information: ...", the API gateway's code for all AK/SK failures; the text after the
// colon says which check failed. Anything else (a key or nonce store outage) is a plain error, a 500.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
)

// Algorithm is the only scheme accepted: the SDK's default.
const Algorithm = "SDK-HMAC-SHA256"

// Scheme names the scheme in api.Signed.
const Scheme = "sdk-hmac-sha256"

// DateLayout is the layout of X-Sdk-Date.
const DateLayout = "20060102T150405Z"

// Header names.
const (
	HeaderDate          = "X-Sdk-Date"
	HeaderContentSHA256 = "X-Sdk-Content-Sha256"
	HeaderSecurityToken = "X-Security-Token"
	HeaderProjectID     = "X-Project-Id"
	unsignedPayload     = "UNSIGNED-PAYLOAD"
)

// CodeAuth is the API gateway's code for every AK/SK authentication failure.
const CodeAuth = "APIGW.0301"

// otherAlgorithms are the SDK's non-default signers (huawei-signing.md §2, last table): a request signed
// with one claims Huawei signing, so it is refused rather than passed to another scheme.
var otherAlgorithms = []string{"SDK-HMAC-SM3 ", "SDK-ECDSA-P256-SHA256 ", "SDK-SM2-SM3 ", "V11-HMAC-SHA256 "}

// Verifier authenticates SDK-HMAC-SHA256 requests against a KeyStore and records their nonces.
type Verifier struct {
	Keys    api.KeyStore
	Nonces  api.NonceStore
	Now     func() time.Time // nil = time.Now
	MaxSkew time.Duration    // 0 = api.DefaultMaxSkew, the API gateway's window
	// SignedBodies refuses a body sent as UNSIGNED-PAYLOAD. The SDK uses that marker only for bodies that
	// are not JSON, so a face whose APIs all take JSON loses nothing and every body it reads is signed.
	SignedBodies bool
}

func (v *Verifier) window() api.Window { return api.Window{Now: v.Now, MaxSkew: v.MaxSkew} }

// NewAuthenticator is the Huawei faces' authenticator: SDK-HMAC-SHA256 over the core's keys (the same
// users and keys as every face), replay protection in the database's nonces under the scope "hw", and
// signed bodies only (the DLI APIs all take JSON).
func NewAuthenticator(keys api.Keys, nonces sluice.NonceStore) *api.Authenticator {
	v := &Verifier{Keys: api.KeySecrets(keys), Nonces: api.ScopedNonces(nonces, "hw"), SignedBodies: true}
	return &api.Authenticator{Keys: keys, Verifiers: []api.Verifier{v}, Refuse: Refuse}
}

// Refuse gives the gateway's words for failures found outside the verifier (api.Authenticator.Refuse).
func Refuse(reason api.AuthReason) *api.AuthError {
	switch reason {
	case api.AuthUnknownKey:
		return fail(reason, "Get secretKey failed, err: ak not exist")
	case api.AuthDisabledKey:
		return fail(reason, "Get secretKey failed, err: ak is disabled")
	}
	return fail(api.AuthMissing, "the request is not signed: send an Authorization header of "+Algorithm)
}

func fail(reason api.AuthReason, format string, args ...any) *api.AuthError {
	return &api.AuthError{Reason: reason, Status: http.StatusUnauthorized, Code: CodeAuth,
		Message: "Incorrect IAM authentication information: " + fmt.Sprintf(format, args...)}
}

// authorization is the parsed "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=..." header.
type authorization struct {
	access        string
	signedHeaders string
	signature     string
}

// parseAuthorization reads the parameters after the algorithm name (§3 step 1): split on ",", trim, split
// each on the first "=".
func parseAuthorization(params string) (authorization, error) {
	var a authorization
	seen := map[string]bool{}
	for part := range strings.SplitSeq(params, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fail(api.AuthMalformed, "malformed Authorization parameter %q", strings.TrimSpace(part))
		}
		if seen[k] {
			return a, fail(api.AuthMalformed, "Authorization parameter %s is repeated", k)
		}
		seen[k] = true
		switch k {
		case "Access":
			a.access = val
		case "SignedHeaders":
			a.signedHeaders = val
		case "Signature":
			a.signature = val
		}
	}
	switch {
	case a.access == "":
		return a, fail(api.AuthMissing, "the Authorization header has no Access")
	case a.signedHeaders == "":
		return a, fail(api.AuthMissing, "the Authorization header has no SignedHeaders")
	case a.signature == "":
		return a, fail(api.AuthMissing, "the Authorization header has no Signature")
	}
	return a, nil
}

// Verify implements api.Verifier. body is the exact body received.
func (v *Verifier) Verify(r *http.Request, body []byte) (api.Signed, error) {
	h := r.Header.Get("Authorization")
	params, ok := strings.CutPrefix(h, Algorithm+" ")
	if !ok {
		for _, alg := range otherAlgorithms {
			if strings.HasPrefix(h, alg) {
				return api.Signed{}, fail(api.AuthUnsupported, "signing algorithm %s is not supported, use %s",
					strings.TrimSpace(alg), Algorithm)
			}
		}
		return api.Signed{}, api.ErrNotSigned
	}
	a, err := parseAuthorization(params)
	if err != nil {
		return api.Signed{}, err
	}
	signed := strings.Split(a.signedHeaders, ";")
	for _, name := range signed {
		if name == "" || name != strings.ToLower(name) {
			return api.Signed{}, fail(api.AuthMalformed, "SignedHeaders must be lower-case names separated by ';'")
		}
	}
	// The date and the payload marker decide the window and what the body hash is, so an attacker must not
	// be able to change them: they count only when signed.
	if !slices.Contains(signed, "x-sdk-date") {
		return api.Signed{}, fail(api.AuthMalformed, "SignedHeaders must include x-sdk-date")
	}
	payloadHash := sha256Hex(body)
	if vs := r.Header.Values(HeaderContentSHA256); len(vs) > 0 {
		if len(vs) != 1 || !slices.Contains(signed, "x-sdk-content-sha256") {
			return api.Signed{}, fail(api.AuthMalformed, "x-sdk-content-sha256 must be sent once and signed")
		}
		// UNSIGNED-PAYLOAD is what the SDK sends for non-JSON bodies; any other value must be the body's hash.
		if vs[0] != unsignedPayload && vs[0] != payloadHash {
			return api.Signed{}, fail(api.AuthMismatch, "x-sdk-content-sha256 does not match the SHA-256 of the body")
		}
		if vs[0] == unsignedPayload && v.SignedBodies && len(body) > 0 {
			return api.Signed{}, fail(api.AuthUnsupported, "an UNSIGNED-PAYLOAD body is not accepted here: sign the body")
		}
		payloadHash = vs[0]
	}
	if r.Header.Get(HeaderSecurityToken) != "" {
		return api.Signed{}, fail(api.AuthUnsupported, "temporary credentials (X-Security-Token) are not supported")
	}
	date := r.Header.Values(HeaderDate)
	if len(date) != 1 {
		return api.Signed{}, fail(api.AuthMissing, "send X-Sdk-Date exactly once")
	}

	secret, err := v.lookup(r.Context(), a.access)
	if err != nil {
		return api.Signed{}, err
	}
	ts, err := time.Parse(DateLayout, date[0])
	if err != nil {
		return api.Signed{}, fail(api.AuthBadTime, "X-Sdk-Date %q is not in the format %s", date[0], DateLayout)
	}
	if w := v.window(); !w.Within(ts) {
		return api.Signed{}, fail(api.AuthExpired, "verify aksk signature fail, X-Sdk-Date %s is more than %s from the server's time %s",
			date[0], w.Skew(), w.Time().UTC().Format(DateLayout))
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return api.Signed{}, fail(api.AuthMalformed, "the query string is malformed")
	}
	creq := CanonicalRequest(r.Method, r.URL.Path, query, signed, func(name string) []string {
		if name == "host" {
			return []string{r.Host} // Go moves Host out of the header map
		}
		return r.Header.Values(name)
	}, payloadHash)
	want := Signature(StringToSign(date[0], creq), secret)
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return api.Signed{}, fail(api.AuthMismatch, "verify aksk signature fail")
	}
	if err := v.checkReplay(r, a, ts); err != nil {
		return api.Signed{}, err
	}
	return api.Signed{AccessKeyID: a.access, Scheme: Scheme}, nil
}

// checkReplay refuses a write seen before. The SDK sends no nonce, so the signature stands for one
// (api.SignatureNonce: reads are not recorded), kept in the database shared by every replica.
func (v *Verifier) checkReplay(r *http.Request, a authorization, ts time.Time) error {
	nonce := api.SignatureNonce(r.Method, "signature:", a.signature)
	if nonce == "" {
		return nil
	}
	if v.Nonces == nil {
		return errors.New("huawei auth: Verifier has no NonceStore")
	}
	// Lower-case hex was compared exactly above, so the signature has one spelling only.
	fresh, err := v.Nonces.UseNonce(r.Context(), a.access, nonce, ts.Add(v.window().Skew()))
	if err != nil {
		return fmt.Errorf("record request signature: %w", err)
	}
	if !fresh {
		return fail(api.AuthReplayed, "verify aksk signature fail, the request was sent already (replay)")
	}
	return nil
}

// lookup maps the KeyStore's sentinel errors to gateway errors and leaves everything else internal.
func (v *Verifier) lookup(ctx context.Context, ak string) (string, error) {
	if v.Keys == nil {
		return "", errors.New("huawei auth: Verifier has no KeyStore")
	}
	secret, err := v.Keys.LookupSecret(ctx, ak)
	switch {
	case errors.Is(err, api.ErrKeyNotFound):
		return "", fail(api.AuthUnknownKey, "Get secretKey failed, ak:%s, err: ak not exist", ak)
	case errors.Is(err, api.ErrKeyDisabled):
		return "", fail(api.AuthDisabledKey, "Get secretKey failed, ak:%s, err: ak is disabled", ak)
	case err != nil:
		return "", fmt.Errorf("look up access key: %w", err)
	}
	return secret, nil
}

var _ api.Verifier = (*Verifier)(nil)

// Escape percent-encodes s so that only A–Z a–z 0–9 - _ . ~ stay literal, with upper-case hex (§2 step 4).
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// CanonicalURI encodes the decoded path segment by segment and ends it with "/" (§3 step 3). The decoded
// path is what the SDK signed: it fills path parameters in unescaped and lets Go escape them on the wire.
func CanonicalURI(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = Escape(s)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// CanonicalQuery sorts the decoded keys, and each key's decoded values, and encodes both (§3 step 4).
func CanonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		vs := slices.Clone(q[k])
		slices.Sort(vs)
		for _, v := range vs {
			parts = append(parts, Escape(k)+"="+Escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// CanonicalHeaders emits "name:value\n" for every value of every signed header, in the client's order,
// each header's values sorted and trimmed (§3 step 5). A signed header that is absent emits nothing, as in
// the SDK.
func CanonicalHeaders(signed []string, values func(name string) []string) string {
	var b strings.Builder
	for _, name := range signed {
		vs := slices.Clone(values(name))
		slices.Sort(vs)
		for _, v := range vs {
			b.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	return b.String()
}

// CanonicalRequest joins method, canonical URI, query, headers, signed-header list and payload hash (§2
// step 8). The header block ends with "\n", so a blank line always precedes the signed-header list.
func CanonicalRequest(method, path string, query url.Values, signed []string, values func(string) []string, payloadHash string) string {
	return strings.Join([]string{method, CanonicalURI(path), CanonicalQuery(query),
		CanonicalHeaders(signed, values), strings.Join(signed, ";"), payloadHash}, "\n")
}

// StringToSign is the algorithm, the X-Sdk-Date value and the hex SHA-256 of the canonical request.
func StringToSign(date, canonicalRequest string) string {
	return Algorithm + "\n" + date + "\n" + sha256Hex([]byte(canonicalRequest))
}

// Signature is hex HMAC-SHA256 keyed with the secret itself: no derived key, no scope.
func Signature(stringToSign, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Sign signs req, whose body is body, as the SDK does at time t: it sets X-Sdk-Date and Authorization,
// signing every header already on req except Content-Type and names containing "_" (§2 step 3).
func Sign(req *http.Request, body []byte, ak, sk string, t time.Time) {
	date := t.UTC().Format(DateLayout)
	req.Header.Set(HeaderDate, date)
	var signed []string
	for name := range req.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "content-type") || strings.Contains(l, "_") || l == "authorization" {
			continue
		}
		signed = append(signed, l)
	}
	slices.Sort(signed)
	payloadHash := sha256Hex(body)
	if h := req.Header.Get(HeaderContentSHA256); h != "" {
		payloadHash = h
	}
	creq := CanonicalRequest(req.Method, req.URL.Path, req.URL.Query(), signed, req.Header.Values, payloadHash)
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		Algorithm, ak, strings.Join(signed, ";"), Signature(StringToSign(date, creq), sk)))
}
