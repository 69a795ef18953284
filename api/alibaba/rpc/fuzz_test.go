package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	"github.com/sluice-dev/sluice/sluicetest"
)

// seedParams is a request's parameters for every action's seed: each action reads the ones it takes and
// ignores the rest, JSON text parameters included. "$P" stands for the fixture project's id (see FuzzServe).
var seedParams = url.Values{
	"ProjectId": {"$P"}, "ProjectIdentifier": {"fuzz_p"}, "ProjectName": {"fuzz_q"}, "ProjectDescription": {"d"},
	"ProjectEnv": {"PROD"}, "BusinessName": {"b1"}, "BusinessId": {"1"}, "FolderId": {"f1"}, "FolderName": {"d1"},
	"FolderPath": {"Business/b1"}, "ParentFolderPath": {"Business/b1"}, "FileId": {"1"}, "FileIdIn": {"1,2"},
	"FileName": {"f1"}, "ExactFileName": {"f1"}, "FileFolderPath": {"Business/b1"}, "FileType": {"10"},
	"FileTypes": {"10,23"}, "Content": {"SELECT 1;"}, "FileVersion": {"1"}, "NodeId": {"1"}, "CommitStatus": {"1"},
	"NeedContent": {"true"}, "PageNumber": {"1"}, "PageSize": {"10"}, "Keyword": {"f"}, "Locale": {"zh_CN"},
	"UseType": {"NORMAL"}, "SchedulerType": {"NORMAL"}, "AutoParsing": {"true"}, "CronExpress": {"00 00 00 * * ?"},
	"InputList": {"fuzz_p_root"}, "OutputList": {"fuzz_p.out1"}, "DependentNodeIdList": {"1,2"},
	"AdvancedSettings": {`{"queue":"q"}`},
	"InputParameters":  {`[{"ParameterName":"in1","ValueSource":"${bizdate}"}]`},
	"OutputParameters": {`[{"ParameterName":"out1","Type":"1","Value":"v","Description":"d"}]`},
	"TableGuid":        {"odps.fuzz_p.t1"}, "TableName": {"t1"}, "DatabaseName": {"fuzz_p"}, "ColumnName": {"a"},
	"ColumnGuid": {"odps.fuzz_p.t1.a"}, "Direction": {"up"}, "DataSourceType": {"odps"},
	"EntityQualifiedName": {"maxcompute-table.fuzz_p.t1"}, "SrcEntityQualifiedName": {"maxcompute-table.fuzz_p.t1"},
	"DestEntityQualifiedName": {"maxcompute-table.fuzz_p.t2"},
	"LineageRelationRegisterVO": {`{"SrcEntity":{"QualifiedName":"maxcompute-table.fuzz_p.t1"},` +
		`"DestEntity":{"QualifiedName":"maxcompute-table.fuzz_p.t2"},"Relationship":{"RelationshipType":"sql"}}`},
}.Encode()

// FuzzServe sends signed RPC requests with arbitrary parameters to every action of a real server (the
// core over SQLite, in this process) and checks what the face answers: never a 5xx and never a panic;
// every answer in the format asked for, well formed and led by its RequestId (the one sent in
// x-acs-request-id); every refusal in the gateway's envelope (Code, Message, HttpStatusCode equal to the
// status), or the XML <Error> with a Code when XML was asked for. An unsigned or malformed request is
// refused with that envelope too.
//
// how chooses the transport: bits 0-1 parameters in the GET query, in a POST form body, in a POST query,
// or unsigned raw text as both query and form body; bit 2 asks for XML (as may the parameters themselves).
func FuzzServe(f *testing.F) {
	srv := sluicetest.NewServer(f)
	p, err := srv.Client().CreateProject(context.Background(), "fuzz_p", "", "")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := srv.Client().RunSQL(context.Background(), "fuzz_p", "CREATE TABLE t1 (a BIGINT, b STRING); CREATE TABLE t2 (a BIGINT);"); err != nil {
		f.Fatal(err)
	}
	projectID := strconv.FormatInt(p.ID, 10)
	h := srv.Server.Handler()
	actions := rpc.Actions()
	for i := range actions {
		for _, how := range []uint8{0, 1, 6} {
			f.Add(uint8(i), seedParams, how)
		}
	}
	f.Add(uint8(0), "a=%zz&;b", uint8(3))
	f.Add(uint8(1), "Format=yaml&ProjectId=$P", uint8(0))
	f.Fuzz(func(t *testing.T, ai uint8, raw string, how uint8) {
		a := actions[int(ai)%len(actions)]
		raw = strings.NewReplacer("$P", projectID, "%24P", projectID).Replace(raw)
		params, _ := url.ParseQuery(raw) // what parses of it; malformed text goes out as it is in mode 3
		params.Set("Action", a.Name)
		params.Set("Version", a.Version)
		if how&4 != 0 {
			params.Set("Format", "XML")
		}
		// The format the face must answer in: Format of the query, else of the form (raw text in mode 3 is
		// both; a query that does not parse is refused in JSON).
		xmlWanted := strings.EqualFold(params.Get("Format"), "xml")
		if how&3 == 3 {
			q, err := url.ParseQuery(raw)
			xmlWanted = err == nil && strings.EqualFold(q.Get("Format"), "xml")
		}
		var r *http.Request
		switch how & 3 {
		case 0:
			auth.SignRPC("GET", params, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
			r = httptest.NewRequest("GET", "/?"+params.Encode(), nil)
		case 1:
			auth.SignRPC("POST", params, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
			r = httptest.NewRequest("POST", "/", strings.NewReader(params.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		case 2:
			auth.SignRPC("POST", params, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
			r = httptest.NewRequest("POST", "/?"+params.Encode(), nil)
		case 3:
			r = httptest.NewRequest("POST", "/", strings.NewReader(raw))
			r.URL.RawQuery = raw
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkAnswer(t, a.Name, how&3 == 3, xmlWanted, w)
	})
}

// checkAnswer checks one answer of the RPC face (see FuzzServe).
func checkAnswer(t *testing.T, action string, unsigned, xmlWanted bool, w *httptest.ResponseRecorder) {
	t.Helper()
	status, body := w.Code, w.Body.Bytes()
	if status >= 500 || status < 200 || status >= 300 && status < 400 {
		t.Fatalf("%s: status %d: %s", action, status, body)
	}
	if unsigned && status < 400 {
		t.Fatalf("%s: an unsigned request was served: %s", action, body)
	}
	id := w.Header().Get("x-acs-request-id")
	if id == "" {
		t.Fatalf("%s: no x-acs-request-id", action)
	}
	ct := w.Header().Get("Content-Type")
	if strings.HasPrefix(ct, "application/xml") {
		if !xmlWanted {
			t.Fatalf("%s: XML answer to a request that did not ask for it", action)
		}
		root, fields := parseXML(t, body)
		if status >= 400 && (root != "Error" || fields["Code"] == "" || fields["Message"] == "") {
			t.Fatalf("%s: status %d, XML error %s", action, status, body)
		}
		if status < 400 && root != action+"Response" {
			t.Fatalf("%s: XML answer rooted at %s", action, root)
		}
		if fields["RequestId"] != id {
			t.Fatalf("%s: RequestId %q, header %q", action, fields["RequestId"], id)
		}
		return
	}
	if !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q", action, ct)
	}
	if xmlWanted && status < 400 {
		t.Fatalf("%s: JSON success to a request for XML: %s", action, body)
	}
	var e struct {
		RequestID  string `json:"RequestId"`
		Code       string `json:"Code"`
		Message    string `json:"Message"`
		HTTPStatus int    `json:"HttpStatusCode"`
	}
	if err := strictJSON(body, &e); err != nil {
		t.Fatalf("%s: status %d, body is not one JSON object (%v): %s", action, status, err, body)
	}
	if e.RequestID != id {
		t.Fatalf("%s: RequestId %q, header %q", action, e.RequestID, id)
	}
	if status >= 400 && (e.Code == "" || e.Message == "" || e.HTTPStatus != status) {
		t.Fatalf("%s: status %d, error body %s", action, status, body)
	}
}

// strictJSON decodes body, which must be one JSON object and nothing more, into v.
func strictJSON(body []byte, v any) error {
	if !json.Valid(body) || len(bytes.TrimSpace(body)) == 0 || bytes.TrimSpace(body)[0] != '{' {
		return errors.New("not a JSON object")
	}
	return json.Unmarshal(body, v)
}

// parseXML reads a whole XML document strictly, returning its root element's name and the text of the
// root's simple children.
func parseXML(t *testing.T, body []byte) (root string, fields map[string]string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	fields = map[string]string{}
	depth := 0
	var name string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("answer is not well-formed XML (%v): %s", err, body)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if root != "" {
					t.Fatalf("XML answer has two root elements: %s", body)
				}
				root = tk.Name.Local
			}
			name = tk.Name.Local
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 2 {
				fields[name] += string(tk)
			} else if depth == 0 && len(bytes.TrimSpace(tk)) > 0 {
				t.Fatalf("XML answer has text outside its root: %s", body)
			}
		}
	}
	if root == "" {
		t.Fatalf("XML answer has no root element: %s", body)
	}
	return root, fields
}
