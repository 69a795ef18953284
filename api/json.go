package api

import (
	"bytes"
	"encoding/json"
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
