package auth

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// newNonce returns 32 lower-case hex characters, the shape both SDKs send.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return hex.EncodeToString(b[:])
}

// SignRPC signs params for an RPC v1 request sent with method. It sets AccessKeyId, SignatureMethod,
// SignatureVersion, SignatureNonce (nonce; a random one when empty), Timestamp (now in UTC), Format
// (JSON, unless set) and finally Signature, replacing any earlier values. The caller sets Action and
// Version and may then put any parameter in the query or the form body: the signature covers both.
func SignRPC(method string, params url.Values, accessKeyID, secret string, now time.Time, nonce string) {
	if nonce == "" {
		nonce = newNonce()
	}
	params.Set("AccessKeyId", accessKeyID)
	params.Set("SignatureMethod", "HMAC-SHA1")
	params.Set("SignatureVersion", "1.0")
	params.Set("SignatureNonce", nonce)
	params.Set("Timestamp", now.UTC().Format(timestampLayout))
	if params.Get("Format") == "" {
		params.Set("Format", "JSON")
	}
	params.Del("Signature")
	params.Set("Signature", rpcSignature(rpcStringToSign(method, params), secret))
}

// SignACS3 signs req with ACS3-HMAC-SHA256, for RPC (set x-acs-action and x-acs-version first), ROA, or
// any other path. It sets x-acs-date (now), x-acs-signature-nonce (nonce; random when empty),
// x-acs-content-sha256 (of body, which must be the exact bytes req will send) and Authorization. It signs
// host (req.Host, else req.URL.Host), content-type when set, and every x-acs-* header, so set those first.
func SignACS3(req *http.Request, body []byte, accessKeyID, secret string, now time.Time, nonce string) {
	SignACS3Hash(req, sha256Hex(body), accessKeyID, secret, now, nonce)
}

// SignACS3Hash is SignACS3 for a body given by its SHA-256 (hex) instead of its bytes, so that a body
// streamed from a file is signed without being held in memory.
func SignACS3Hash(req *http.Request, bodySHA256, accessKeyID, secret string, now time.Time, nonce string) {
	if nonce == "" {
		nonce = newNonce()
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Set("x-acs-date", now.UTC().Format(timestampLayout))
	req.Header.Set("x-acs-signature-nonce", nonce)
	req.Header.Set("x-acs-content-sha256", bodySHA256)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	signed := []string{"host"}
	for name := range req.Header {
		lname := strings.ToLower(name)
		if lname == "content-type" || strings.HasPrefix(lname, "x-acs-") {
			signed = append(signed, lname)
		}
	}
	slices.Sort(signed)
	signed = slices.Compact(signed)
	headers := acs3CanonicalHeaders(signed, func(name string) []string {
		if name == "host" {
			return []string{host}
		}
		return req.Header.Values(name)
	})
	signedHeaders := strings.Join(signed, ";")
	creq := acs3CanonicalRequest(req.Method, acs3CanonicalURI(req.URL.EscapedPath()),
		acs3CanonicalQuery(req.URL.Query()), headers, signedHeaders, bodySHA256)
	req.Header.Set("Authorization", algACS3+" Credential="+accessKeyID+",SignedHeaders="+signedHeaders+
		",Signature="+acs3Signature(acs3StringToSign(creq), secret))
}

// SignROA signs req with the legacy "acs AK:signature" scheme, the way DARA's SignatureAlgorithm "v2"
// does, plus OLD's Content-MD5 so the verifier can bind the body, which the legacy string to sign does
// not cover. It sets Date (now), Accept (application/json, unless set), Content-MD5 (of body),
// x-acs-signature-method, x-acs-signature-version, x-acs-signature-nonce (nonce; random when empty) and
// Authorization. The path is signed escaped, as sent.
func SignROA(req *http.Request, body []byte, accessKeyID, secret string, now time.Time, nonce string) {
	if nonce == "" {
		nonce = newNonce()
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	sum := md5.Sum(body)
	req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("x-acs-signature-method", "HMAC-SHA1")
	req.Header.Set("x-acs-signature-version", "1.0")
	req.Header.Set("x-acs-signature-nonce", nonce)
	get := func(name string) string { return strings.TrimSpace(req.Header.Get(name)) }
	sts := roaStringToSign(req.Method, get("Accept"), get("Content-MD5"), get("Content-Type"), get("Date"),
		roaCanonicalHeaders(req.Header),
		roaCanonicalResource(req.URL.EscapedPath(), req.URL.Query()))
	req.Header.Set("Authorization", "acs "+accessKeyID+":"+roaSignature(sts, secret))
}
