package auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The functions in this file are the canonicalisation rules of the three schemes. They are pure so that
// the signers and the verifiers cannot drift apart, and so the vendor test vectors can pin them directly.

const (
	algACS3 = "ACS3-HMAC-SHA256"

	// timestampLayout is the v1 Timestamp and the ACS3 x-acs-date format of both SDKs. When parsing, Go
	// also accepts fractional seconds after the seconds field, so "…T08:00:00.123Z" (sent by some
	// non-Go SDKs) is accepted without a second layout.
	timestampLayout = "2006-01-02T15:04:05Z"
)

// PercentEncode is the RFC 3986 encoding both SDKs use for signing: UTF-8 bytes, A-Z a-z 0-9 - _ . ~
// kept, every other byte %XX with upper-case hex. (The SDKs reach the same result through
// url.QueryEscape plus the +→%20, *→%2A, %7E→~ rewrites.)
func PercentEncode(s string) string {
	const hexdigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexdigits[c>>4], hexdigits[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// sortedKeys returns the keys of v in byte order, the order both SDKs sort in.
func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// rpcCanonicalQuery is step 1–3 of the v1 signature: every parameter except Signature, sorted by key,
// pe(key)=pe(value) joined with &. Empty values are kept (OLD always signs "SignatureType="). The SDKs
// hold one value per key; a key that arrives several times (query and form, or repeated) contributes
// every value in arrival order, so nothing the server may later read is left unsigned.
func rpcCanonicalQuery(params url.Values) string {
	var b strings.Builder
	for _, k := range sortedKeys(params) {
		if k == "Signature" {
			continue
		}
		for _, v := range params[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(PercentEncode(k))
			b.WriteByte('=')
			b.WriteString(PercentEncode(v))
		}
	}
	return b.String()
}

// rpcStringToSign is METHOD&%2F&pe(canonical query): the canonical query is encoded a second time.
func rpcStringToSign(method string, params url.Values) string {
	return method + "&" + PercentEncode("/") + "&" + PercentEncode(rpcCanonicalQuery(params))
}

// rpcSignature is base64(HMAC-SHA1(secret + "&", stringToSign)); the trailing & is part of the v1 key
// (it once separated the secret from a token secret that was never used).
func rpcSignature(stringToSign, secret string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(sha1.New, secret+"&", stringToSign))
}

// acs3CanonicalURI turns the escaped path as sent into the ACS3 CanonicalURI. DARA applies the same three
// rewrites to the path it signs, so the server must apply them to what it receives. A consequence of the
// vendor's design: a literal "+" and "%20" in a path canonicalise alike although they decode differently
// ("/a+b" vs "/a b"). DARA's generated clients never send a literal "+" (dara.PercentEncode writes %2B),
// and the nonce still stops reuse of the original request, so this is accepted rather than refused.
func acs3CanonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	return acs3Rewrite(escapedPath)
}

func acs3Rewrite(s string) string {
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	return strings.ReplaceAll(s, "%7E", "~")
}

// acs3CanonicalQuery reproduces DARA getCanonicalQueryString exactly: sorted keys, key=QueryEscape(value)
// (key=  when empty), joined with &, and then the +/*/%7E rewrites over the whole string, keys included,
// followed by trimming leading &. Keys are deliberately not percent-encoded because DARA does not encode
// them. Repeated keys contribute each value, as in rpcCanonicalQuery.
func acs3CanonicalQuery(q url.Values) string {
	var b strings.Builder
	for _, k := range sortedKeys(q) {
		for _, v := range q[k] {
			b.WriteByte('&')
			b.WriteString(k)
			b.WriteByte('=')
			if v != "" {
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return strings.TrimLeft(acs3Rewrite(b.String()), "&")
}

// acs3CanonicalHeaders renders name:value\n for each signed header name in the given order. Values are
// trimmed and, when a header is repeated, sorted and joined with a comma, as DARA does.
func acs3CanonicalHeaders(names []string, values func(name string) []string) string {
	var b strings.Builder
	for _, name := range names {
		vals := values(name)
		trimmed := make([]string, len(vals))
		for i, v := range vals {
			trimmed[i] = strings.TrimSpace(v)
		}
		slices.Sort(trimmed)
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.Join(trimmed, ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// acs3CanonicalRequest joins the parts with newlines; canonicalHeaders already ends in a newline, which
// is why a blank line precedes the signed header list.
func acs3CanonicalRequest(method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash string) string {
	return method + "\n" + canonicalURI + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" +
		signedHeaders + "\n" + payloadHash
}

func acs3StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algACS3 + "\n" + hex.EncodeToString(sum[:])
}

// acs3Signature is lower-case hex HMAC-SHA256 keyed with the bare secret (no "&", unlike v1).
func acs3Signature(stringToSign, secret string) string {
	return hex.EncodeToString(hmacSum(sha256.New, secret, stringToSign))
}

func sha256Hex(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// roaCanonicalHeaders renders every x-acs-* header, lower-cased and sorted, as name:value\n. The SDKs do
// not trim values, but surrounding whitespace never survives an HTTP parser, so trimming here changes
// nothing on the server and makes SignROA sign what the server will see.
func roaCanonicalHeaders(h http.Header) string {
	acs := make(map[string]string)
	for k, vs := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-acs-") {
			continue
		}
		for _, v := range vs {
			if prev, ok := acs[lk]; ok {
				acs[lk] = prev + "," + strings.TrimSpace(v)
			} else {
				acs[lk] = strings.TrimSpace(v)
			}
		}
	}
	names := make([]string, 0, len(acs))
	for k := range acs {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte(':')
		b.WriteString(acs[k])
		b.WriteByte('\n')
	}
	return b.String()
}

// roaCanonicalResource is path?k=v&k2 with keys sorted and values NOT encoded (a vendor quirk: a value
// containing & or = is ambiguous, which the scheme cannot express any better). An empty value renders
// as the bare key. Like DARA getStringToSign, it prefixes every pair with & and trims all leading &, which
// only matters for a key that itself starts with & (OLD would keep those; no real key does).
func roaCanonicalResource(path string, query url.Values) string {
	var b strings.Builder
	for _, k := range sortedKeys(query) {
		for _, v := range query[k] {
			b.WriteByte('&')
			b.WriteString(k)
			if v != "" {
				b.WriteByte('=')
				b.WriteString(v)
			}
		}
	}
	if b.Len() == 0 {
		return path
	}
	return path + "?" + strings.TrimLeft(b.String(), "&")
}

// roaStringToSign is the legacy ROA string. A missing Accept/Content-MD5/Content-Type/Date contributes
// an empty line (DARA); OLD drops the line instead but always sends all four, so both agree.
func roaStringToSign(method, accept, contentMD5, contentType, date, canonicalHeaders, resource string) string {
	return method + "\n" + accept + "\n" + contentMD5 + "\n" + contentType + "\n" + date + "\n" +
		canonicalHeaders + resource
}

// roaSignature is base64(HMAC-SHA1(secret, stringToSign)), keyed without the v1 trailing "&".
func roaSignature(stringToSign, secret string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(sha1.New, secret, stringToSign))
}

func hmacSum(h func() hash.Hash, key, msg string) []byte {
	m := hmac.New(h, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}
