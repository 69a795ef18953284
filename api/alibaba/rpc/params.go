package rpc

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice/api/alibaba"
)

// params are an RPC request's parameters: the query and the form body merged (the SDKs never send one
// name in both).
type params struct {
	query, form url.Values
}

func (p params) get(name string) string {
	if v, ok := p.query[name]; ok && len(v) > 0 {
		return v[0]
	}
	return p.form.Get(name)
}

func invalid(name, format string, args ...any) error {
	return &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "The specified parameter " + name + " is not valid: " + fmt.Sprintf(format, args...)}
}

// missing is the gateway's error for an absent required parameter: MissingProjectId and so on.
func missing(name string) error {
	return &alibaba.Problem{Status: http.StatusBadRequest, Code: "Missing" + name, Message: name + " is mandatory for this action."}
}

// required returns a parameter that must be present and non-empty.
func (p params) required(name string) (string, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return "", missing(name)
	}
	return v, nil
}

// int64 returns an integer parameter, or def when it is absent or empty.
func (p params) int64(name string, def int64) (int64, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, invalid(name, "%q is not an integer.", v)
	}
	return n, nil
}

// page returns PageNumber and PageSize, checked against the vendor's limits.
func (p params) page(defSize, maxSize int64) (number, size int64, err error) {
	if number, err = p.int64("PageNumber", 1); err != nil {
		return 0, 0, err
	}
	if size, err = p.int64("PageSize", defSize); err != nil {
		return 0, 0, err
	}
	if number < 1 {
		return 0, 0, invalid("PageNumber", "it must be 1 or more.")
	}
	if size < 1 || size > maxSize {
		return 0, 0, invalid("PageSize", "it must be between 1 and %d.", maxSize)
	}
	return number, size, nil
}
