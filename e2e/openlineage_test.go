package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/sluicetest"
)

// TestOpenLineage_CommitAnnounced: with a receiver configured, every version SubmitFile commits reaches it as
// an OpenLineage JobEvent — the job named after the file, the tables as datasets, the column lineage facet on
// the output — sent by the server's job runner; a receiver that fails first is tried again.
func TestOpenLineage_CommitAnnounced(t *testing.T) {
	var mu sync.Mutex
	var events []map[string]any
	calls := 0
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			http.Error(w, "starting up", http.StatusServiceUnavailable) // retryable: the job stays
			return
		}
		var e map[string]any
		if r.URL.Path != "/api/v1/lineage" || json.Unmarshal(body, &e) != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		events = append(events, e)
		w.WriteHeader(http.StatusCreated)
	}))
	defer receiver.Close()

	srv := newServer(t, sluicetest.Options{OpenLineageURL: receiver.URL + "/api/v1/lineage", JobLease: 500 * time.Millisecond})
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "ol_dw"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "ol_dw"}
	catalogSQL(t, srv, "ol_dw", "CREATE TABLE src (a BIGINT, b STRING); CREATE TABLE dst (x BIGINT, y STRING);")
	id := w.sqlFile("load_dst", "INSERT OVERWRITE TABLE dst SELECT a, upper(b) FROM src;")
	w.submit(id)

	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(events)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no event reached the receiver (%d calls)", calls)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	e := events[0]
	mu.Unlock()
	job, _ := e["job"].(map[string]any)
	if job["namespace"] != "sluice" || job["name"] == "" {
		t.Errorf("job = %v", job)
	}
	names := func(key string) []string {
		var out []string
		list, _ := e[key].([]any)
		for _, d := range list {
			out = append(out, d.(map[string]any)["name"].(string))
		}
		return out
	}
	if got := names("inputs"); !slices.Equal(got, []string{"ol_dw.src"}) {
		t.Errorf("inputs = %v", got)
	}
	if got := names("outputs"); !slices.Equal(got, []string{"ol_dw.dst"}) {
		t.Errorf("outputs = %v", got)
	}
	out := e["outputs"].([]any)[0].(map[string]any)
	facets, _ := out["facets"].(map[string]any)
	cl, _ := facets["columnLineage"].(map[string]any)
	fields, _ := cl["fields"].(map[string]any)
	y, _ := fields["y"].(map[string]any)
	in, _ := y["inputFields"].([]any)
	if len(in) != 1 || in[0].(map[string]any)["field"] != "b" {
		t.Errorf("columnLineage of y = %v (facets %v)", y, facets)
	}
}
