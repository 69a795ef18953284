package rpc

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// jsonToXML renders a JSON object the way Alibaba's RPC gateway renders XML: the object is the root
// element, each field a child element of the same name, and an array a run of repeated elements named
// after its field, with no wrapper (alibaba-rpc.md §6.2). Field order is kept.
func jsonToXML(root string, data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := xmlValue(dec, enc, root); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlValue converts the next JSON value into element(s) named name.
func xmlValue(dec *json.Decoder, enc *xml.Encoder, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	start := xml.StartElement{Name: xml.Name{Local: name}}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			if err := enc.EncodeToken(start); err != nil {
				return err
			}
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				k, ok := key.(string)
				if !ok {
					return errors.New("jsonToXML: object key is not a string")
				}
				if err := xmlValue(dec, enc, k); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			return enc.EncodeToken(start.End())
		case '[':
			for dec.More() {
				if err := xmlValue(dec, enc, name); err != nil {
					return err
				}
			}
			_, err := dec.Token() // ']'
			return err
		}
		return fmt.Errorf("jsonToXML: unexpected %v", t)
	case nil:
		return enc.EncodeElement("", start)
	case bool:
		return enc.EncodeElement(t, start)
	case json.Number:
		return enc.EncodeElement(t.String(), start)
	case string:
		return enc.EncodeElement(t, start)
	}
	return io.ErrUnexpectedEOF
}
