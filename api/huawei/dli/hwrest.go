// Package hwrest serves Huawei Cloud REST requests under /v2.0/{project_id}/ (the DLI face). Until the
// resource centre is served, every path answers the API gateway's "no such API" error in Huawei's envelope,
// so SDK users get a clear, well-formed refusal rather than a bare 404.
package dli

import (
	"encoding/json"
	"net/http"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
)

// New returns the handler of /v2.0/.
func New() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := api.InfoFromContext(r.Context())
		info.API, info.Code = "hw:unknown", "APIGW.0101"
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("X-Request-Id", sluice.RequestIDFromContext(r.Context()))
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{
			"error_code": "APIGW.0101",
			"error_msg":  "The API does not exist or has not been published in the environment",
			"request_id": sluice.RequestIDFromContext(r.Context()),
		})
	})
}
