package rpc

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// has reports whether a parameter was sent, even empty.
func (p params) has(name string) bool {
	if v, ok := p.query[name]; ok && len(v) > 0 {
		return true
	}
	v, ok := p.form[name]
	return ok && len(v) > 0
}

// id returns a required, positive integer parameter such as FileId.
func (p params) id(name string) (int64, error) {
	if strings.TrimSpace(p.get(name)) == "" {
		return 0, missing(name)
	}
	n, err := p.int64(name, 0)
	if err != nil {
		return 0, err
	}
	if n <= 0 {
		return 0, invalid(name, "it must be a positive number.")
	}
	return n, nil
}

// optInt64 returns an integer parameter, or nil when it is absent or empty.
func (p params) optInt64(name string) (*int64, error) {
	if strings.TrimSpace(p.get(name)) == "" {
		return nil, nil
	}
	n, err := p.int64(name, 0)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// optInt returns an integer parameter within [lo, hi], or nil when it is absent or empty.
func (p params) optInt(name string, lo, hi int64) (*int, error) {
	n, err := p.optInt64(name)
	if err != nil || n == nil {
		return nil, err
	}
	if *n < lo || *n > hi {
		return nil, invalid(name, "it must be between %d and %d.", lo, hi)
	}
	v := int(*n)
	return &v, nil
}

// optBool returns a boolean parameter ("true" or "false", as the SDKs send them), or nil when absent.
func (p params) optBool(name string) (*bool, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return nil, nil
	}
	switch strings.ToLower(v) {
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, invalid(name, "%q is not true or false.", v)
}

// boolean returns a boolean parameter, false when absent.
func (p params) boolean(name string) (bool, error) {
	b, err := p.optBool(name)
	if err != nil || b == nil {
		return false, err
	}
	return *b, nil
}

// optString returns a string parameter, or nil when it was not sent.
func (p params) optString(name string) *string {
	if !p.has(name) {
		return nil
	}
	v := p.get(name)
	return &v
}

// list splits a comma-separated parameter, dropping empty items.
func (p params) list(name string) []string {
	var out []string
	for _, s := range strings.Split(p.get(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ids parses a comma-separated list of positive integers, at most limit of them (0: no limit).
func (p params) ids(name string, limit int) ([]int64, error) {
	items := p.list(name)
	if limit > 0 && len(items) > limit {
		return nil, invalid(name, "at most %d ids are allowed, got %d.", limit, len(items))
	}
	out := make([]int64, 0, len(items))
	for _, s := range items {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return nil, invalid(name, "%q is not a positive integer.", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// word returns a parameter that names one of values, in the vendor's spelling when it matches one without
// regard to case, else as sent (for the core to judge), or "" when absent.
func (p params) word(name string, values ...string) string {
	v := strings.TrimSpace(p.get(name))
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want
		}
	}
	return v
}

// enum returns a parameter that must be one of values (compared without case and returned in the
// vendor's spelling), or "" when absent.
func (p params) enum(name string, values ...string) (string, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return "", nil
	}
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want, nil
		}
	}
	return "", invalid(name, "%q is not one of %s.", v, strings.Join(values, ", "))
}

// useType returns a UseType parameter (spec §3.2), or "" when absent.
func (p params) useType(name string) (sluice.UseType, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return "", nil
	}
	u := sluice.UseType(strings.ToUpper(v))
	if !u.Valid() {
		return "", invalid(name, "%q is not one of NORMAL, MANUAL, MANUAL_BIZ, SKIP, ADHOCQUERY, COMPONENT.", v)
	}
	return u, nil
}

// jsonText checks that a parameter carrying JSON text (AdvancedSettings) is valid JSON.
func (p params) jsonText(name string) (*string, error) {
	v := p.optString(name)
	if v == nil || strings.TrimSpace(*v) == "" {
		return v, nil
	}
	if !json.Valid([]byte(*v)) {
		return nil, invalid(name, "it is not valid JSON text.")
	}
	return v, nil
}

// ms is a time as milliseconds since the epoch, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// offset turns a page into a row offset.
func offset(number, size int64) int { return int((number - 1) * size) }
