// Package auth authenticates requests signed the way Alibaba Cloud SDKs sign them, and signs requests
// the same way for Sluice's own clients.
//
// Three schemes are understood (specs alibaba-rpc.md §3–§4 and maxcompute-packages.md §2):
//
//   - rpc-v1: HMAC-SHA1 over the sorted query+form parameters, Signature in the query or form. Sent by
//     the old alibaba-cloud-sdk-go for RPC APIs and by darabonba-openapi with SignatureAlgorithm "v2".
//   - acs3: ACS3-HMAC-SHA256 in the Authorization header. The default of darabonba-openapi, RPC and ROA.
//   - roa-v1: "Authorization: acs AK:signature", HMAC-SHA1 over method, four headers, x-acs-* headers and
//     the resource. Sent by the old SDK for ROA APIs and by darabonba-openapi with "v2".
//
// Verification runs in a fixed order: structural checks, key lookup, signature method/version and
// timestamp format and window, signature (constant time), and only then the nonce, so a request that does
// not carry a valid signature can never consume somebody else's nonce.
//
// Failures the caller caused are *api.AuthError values carrying the gateway code and HTTP status the vendor
// uses; anything else (a KeyStore or NonceStore outage) is a plain wrapped error and should become a 500.
// RPC and ROA adapt the Verifier to api.Verifier, the seam every face authenticates through.
package auth

import (
	"fmt"
	"net/http"

	"github.com/sluice-dev/sluice/api"
)

// Scheme names the signature scheme a request was authenticated with.
type Scheme string

// The schemes, see the package documentation.
const (
	SchemeRPCV1 Scheme = "rpc-v1" // HMAC-SHA1, Signature parameter
	SchemeACS3  Scheme = "acs3"   // ACS3-HMAC-SHA256, Authorization header
	SchemeROAV1 Scheme = "roa-v1" // legacy "Authorization: acs AK:signature"
)

// Result describes an authenticated request. Action and Version are what the client signed: the Action
// and Version parameters for rpc-v1, the x-acs-action and x-acs-version headers otherwise (empty when a
// ROA client did not send them).
type Result struct {
	AccessKeyID string
	Scheme      Scheme
	Action      string
	Version     string
}

// Gateway codes. Those in alibaba-rpc.md §3 are the vendor's; the others fill gaps the spec leaves open:
//
//   - CodeIncompleteSignature: the signature material is malformed or incomplete: an Authorization
//     header that is neither ACS3 nor "acs", a malformed ACS3 Authorization, a SignedHeaders list that is
//     not lower-case/sorted or that omits a header ACS3 requires (or any x-acs-* header the request
//     carries; the vendor doc says every common header present must be signed), a duplicated Signature
//     parameter. The vendor uses this code for "does not conform to Aliyun standards"; OLD treats it like
//     SignatureDoesNotMatch, which is harmless because our message carries no string-to-sign marker.
//   - CodeInvalidParameter: the body does not match its integrity header (x-acs-content-sha256 for
//     ACS3, Content-MD5 for legacy ROA). The signature may be fine; the payload is not what was signed.
//   - CodeInvalidSignatureVersion: SignatureVersion (v1) or x-acs-signature-version (legacy ROA) is not
//     1.0, by analogy with InvalidSignatureMethod.
//   - CodeUnsupportedSignatureType: bearer tokens, which Sluice does not issue.
//   - Missing<Name> (400) also covers headers: MissingDate for a legacy ROA request without Date,
//     MissingAccessKeyId for "acs :sig", MissingSignatureNonce for an empty x-acs-signature-nonce. A
//     request with no signature at all is MissingSignature on the ROA path too.
const (
	CodeMissingSignature         = "MissingSignature"
	CodeInvalidAccessKeyNotFound = "InvalidAccessKeyId.NotFound"
	CodeInvalidAccessKeyInactive = "InvalidAccessKeyId.Inactive"
	CodeInvalidSignatureMethod   = "InvalidSignatureMethod"
	CodeInvalidSignatureVersion  = "InvalidSignatureVersion"
	CodeInvalidTimeStampFormat   = "InvalidTimeStamp.Format"
	CodeInvalidTimeStampExpired  = "InvalidTimeStamp.Expired"
	CodeSignatureNonceUsed       = "SignatureNonceUsed"
	CodeSignatureDoesNotMatch    = "SignatureDoesNotMatch"
	CodeIncompleteSignature      = "IncompleteSignature"
	CodeInvalidParameter         = "InvalidParameter"
	CodeUnsupportedSignatureType = "UnsupportedSignatureType"
)

// stringToSignMarker must end a SignatureDoesNotMatch message: OLD splits the message on it and compares
// the tail with its own string to sign to tell "wrong secret" from "SDK bug".
const stringToSignMarker = "server string to sign is:"

// reasons tells, for each gateway code, why in no vendor's words (api.AuthReason).
var reasons = map[string]api.AuthReason{
	CodeMissingSignature:         api.AuthMissing,
	CodeInvalidAccessKeyNotFound: api.AuthUnknownKey,
	CodeInvalidAccessKeyInactive: api.AuthDisabledKey,
	CodeInvalidSignatureMethod:   api.AuthUnsupported,
	CodeInvalidSignatureVersion:  api.AuthUnsupported,
	CodeUnsupportedSignatureType: api.AuthUnsupported,
	CodeInvalidTimeStampFormat:   api.AuthBadTime,
	CodeInvalidTimeStampExpired:  api.AuthExpired,
	CodeSignatureNonceUsed:       api.AuthReplayed,
	CodeSignatureDoesNotMatch:    api.AuthMismatch,
	CodeInvalidParameter:         api.AuthMismatch, // the body is not what was signed
	CodeIncompleteSignature:      api.AuthMalformed,
}

// authError is a failure in the gateway's words; every Missing<Name> code is AuthMissing.
func authError(status int, code, format string, args ...any) *api.AuthError {
	reason, ok := reasons[code]
	if !ok {
		reason = api.AuthMissing
	}
	return &api.AuthError{Reason: reason, Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refuse gives the gateway's words for failures found outside the verifier (api.Authenticator.Refuse).
func Refuse(reason api.AuthReason) *api.AuthError {
	switch reason {
	case api.AuthUnknownKey:
		return authError(http.StatusNotFound, CodeInvalidAccessKeyNotFound, "Specified access key is not found.")
	case api.AuthDisabledKey:
		return authError(http.StatusBadRequest, CodeInvalidAccessKeyInactive, "Specified access key is disabled.")
	}
	return errMissing("Signature")
}

func errMissing(param string) *api.AuthError {
	return authError(http.StatusBadRequest, "Missing"+param, "%s is mandatory for this action.", param)
}

func errIncomplete(format string, args ...any) *api.AuthError {
	return authError(http.StatusBadRequest, CodeIncompleteSignature,
		"The request signature does not conform to Aliyun standards: "+format, args...)
}

func errMismatch(stringToSign string) *api.AuthError {
	return authError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
		"Specified signature is not matched with our calculation. %s%s", stringToSignMarker, stringToSign)
}

func errBearer() *api.AuthError {
	return authError(http.StatusBadRequest, CodeUnsupportedSignatureType, "bearer tokens are not supported")
}
