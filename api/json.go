package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/sluice-dev/sluice"
)

// MarshalJSON encodes v as every face writes JSON: compact, with '<', '>' and '&' in strings as themselves,
// as the vendors' gateways send them. encoding/json's default writes them as \u003c, \u003e and \u0026,
// which ordinary parsers decode but some SDKs' own readers do not (aliyun-java-sdk-core's JsonReader drops
// the backslash and keeps "u003e"), so SQL such as "a > b && c < d" would reach them changed.
func MarshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// DecodeStrict decodes body as DecodeJSONObject does, and also refuses fields v does not have: Sluice's own
// APIs (native, console) document every field they take, so an unknown one is a client's mistake.
func DecodeStrict(body []byte, v any) error { return decodeObject(body, v, true) }

// DecodeJSONObject decodes body, which must be one JSON object with nothing but white space around it, into v,
// as the faces read request bodies. Unknown fields are ignored (the vendors document more than Sluice
// models); a field of the wrong type is refused naming the field and the type wanted. A *sluice.Error from
// a field's own UnmarshalJSON is returned as it is. Every refusal is EINVALID.
func DecodeJSONObject(body []byte, v any) error { return decodeObject(body, v, false) }

// jsonSpace is the white space JSON allows between tokens; bytes.TrimSpace would also drop \v, \f and
// Unicode spaces, which JSON does not allow.
const jsonSpace = " \t\r\n"

func decodeObject(body []byte, v any, strict bool) error {
	body = bytes.Trim(body, jsonSpace)
	if len(body) == 0 {
		return sluice.Errorf(sluice.EINVALID, "The request body is missing: this API takes a JSON object.")
	}
	if body[0] != '{' {
		return sluice.Errorf(sluice.EINVALID, "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return sluice.Errorf(sluice.EINVALID, "The field %s of the request body must be a JSON %s, not %s.",
				te.Field, jsonKind(te.Type), te.Value)
		}
		var se *sluice.Error
		if errors.As(err, &se) {
			return se
		}
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return sluice.Errorf(sluice.EINVALID, "The request body has the field %s, which this operation does not take.", field)
		}
		return sluice.Errorf(sluice.EINVALID, "The request body is not valid JSON: %v.", err)
	}
	// Everything after the object, not just another value (which Decoder.More reports): a stray "}" or
	// "]" would otherwise pass.
	if len(bytes.Trim(body[dec.InputOffset():], jsonSpace)) > 0 {
		return sluice.Errorf(sluice.EINVALID, "The request body has data after its JSON object.")
	}
	return nil
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "number"
}
