package e2e

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/sluice-dev/sluice/api/alibaba/rpc"
)

// TestRPC_UpdateFileClearsLists sends what the new SDK sends for a pointer to "": a parameter present but
// empty. It clears the list; it is not ignored.
func TestRPC_UpdateFileClearsLists(t *testing.T) {
	srv := newServer(t)
	p, err := srv.Client().CreateProject(t.Context(), "clear_p", "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &rpc.Client{Endpoint: srv.URL, AccessKeyID: srv.AccessKeyID, AccessKeySecret: srv.AccessKeySecret}
	call := func(action string, kv ...string) map[string]any {
		t.Helper()
		params := url.Values{"ProjectId": {strconv.FormatInt(p.ID, 10)}}
		for i := 0; i+1 < len(kv); i += 2 {
			params.Set(kv[i], kv[i+1])
		}
		var out map[string]any
		if err := c.Call(t.Context(), action, params, &out); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		return out
	}
	created := call("CreateFile", "FileName", "ods_x", "FileType", "10", "InputList", "clear_p.up_a,clear_p.up_b", "DependentNodeIdList", "700000000001")
	id := strconv.FormatFloat(created["Data"].(float64), 'f', 0, 64)
	config := func() map[string]any {
		return call("GetFile", "FileId", id)["Data"].(map[string]any)["NodeConfiguration"].(map[string]any)
	}
	if n := len(config()["InputList"].([]any)); n != 2 {
		t.Fatalf("InputList after create has %d entries", n)
	}
	call("UpdateFile", "FileId", id, "InputList", "", "DependentNodeIdList", "")
	got := config()
	if n := len(got["InputList"].([]any)); n != 0 || got["DependentNodeIdList"] != "" {
		t.Fatalf("after clearing: InputList %v, DependentNodeIdList %q", got["InputList"], got["DependentNodeIdList"])
	}
}
