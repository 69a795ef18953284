package native

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/openlineage"
)

// LineageDiffRequest names the two sides of a file's lineage diff: from, a committed version (0 or absent: the
// last committed one); to, a committed version, or 0 or absent for the working copy, which is script when it
// is set and the file's draft otherwise.
type LineageDiffRequest struct {
	From   int     `json:"from,omitempty"`
	To     int     `json:"to,omitempty"`
	Script *string `json:"script,omitempty"`
}

// LineageDiff is what a change of a file does to its lineage; a change of an edge's kind is the old edge
// removed and the new one added.
type LineageDiff struct {
	FileID     int64              `json:"fileId"`
	From       int                `json:"from"`   // 0: the file has no committed version
	To         int                `json:"to"`     // 0: the working copy
	Script     bool               `json:"script"` // the working copy is the script sent, not the draft
	Tables     []TableEdgeChange  `json:"tables"`
	Columns    []ColumnEdgeChange `json:"columns"`
	Downstream []LineageImpact    `json:"downstream"`
	Errors     []LineageError     `json:"errors"` // statements of the to side not understood
}

// TableEdgeChange is a table the file starts ("+") or stops ("-") reading or writing.
type TableEdgeChange struct {
	Change    string `json:"change"`
	Direction string `json:"direction"` // reads or writes
	Table     string `json:"table"`     // table guid
}

// ColumnEdgeChange is a column edge added ("+") or removed ("-"): target's values come from source (empty for a
// constant) in the way kind says.
type ColumnEdgeChange struct {
	Change string `json:"change"`
	Target string `json:"target"`
	Source string `json:"source,omitempty"`
	Kind   string `json:"kind"`
}

// LineageImpact is a task of another file reading what the change touches: guid is a column the file writes
// whose edges changed, or (table true) a table it stops writing.
type LineageImpact struct {
	Guid      string `json:"guid"`
	Table     bool   `json:"table,omitempty"`
	TaskID    int64  `json:"taskId"` // the DEV node
	TaskName  string `json:"taskName"`
	FileID    int64  `json:"fileId"`
	ProjectID int64  `json:"projectId"`
	Project   string `json:"project"`
}

// LineageEvents are OpenLineage events of committed versions, each as the commit announced it.
type LineageEvents struct {
	Events []openlineage.Event `json:"events"`
}

// lineageExporter is the OpenLineage export of a lineage service (core.Service has it). It is not part of
// sluice.LineageService because the root package, which imports only the standard library, cannot name
// openlineage's events.
type lineageExporter interface {
	LineageEvents(ctx context.Context, ref sluice.ProjectRef, fileID int64, version int, namespace string) ([]openlineage.Event, error)
}

func change(added bool) string {
	if added {
		return "+"
	}
	return "-"
}

func (s *server) diffLineage(ctx context.Context, r *http.Request, body []byte) (any, error) {
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return nil, sluice.Errorf(sluice.EINVALID, "The file id %q is not an integer.", r.PathValue("file"))
	}
	var in LineageDiffRequest
	if len(body) > 0 { // no body compares the draft with the last committed version
		if err := decode(body, &in); err != nil {
			return nil, err
		}
	}
	d, err := s.Lineage.DiffFileLineage(ctx, ref(r), id, sluice.LineageDiffQuery{From: in.From, To: in.To, Script: in.Script})
	if err != nil {
		return nil, err
	}
	out := LineageDiff{FileID: d.FileID, From: d.From, To: d.To, Script: d.Script, Tables: make([]TableEdgeChange, 0, len(d.Tables)),
		Columns: make([]ColumnEdgeChange, 0, len(d.Columns)), Downstream: make([]LineageImpact, 0, len(d.Impact)),
		Errors: wireLineageErrors(d.Errors)}
	for _, t := range d.Tables {
		out.Tables = append(out.Tables, TableEdgeChange{Change: change(t.Added), Direction: t.Direction, Table: t.Table})
	}
	for _, c := range d.Columns {
		out.Columns = append(out.Columns, ColumnEdgeChange{Change: change(c.Added), Target: c.Edge.Target, Source: c.Edge.Source, Kind: c.Edge.Kind})
	}
	for _, i := range d.Impact {
		out.Downstream = append(out.Downstream, LineageImpact{Guid: i.Guid, Table: i.Table, TaskID: i.Node.ID, TaskName: i.Node.Name,
			FileID: i.Node.FileID, ProjectID: i.Node.ProjectID, Project: i.Project})
	}
	return out, nil
}

// exportOpenLineage answers the events of ?file= (absent: every file's) ?version= (absent: the last committed)
// in ?namespace= (absent: the server's).
func (s *server) exportOpenLineage(ex lineageExporter) handler {
	return func(ctx context.Context, r *http.Request, _ []byte) (any, error) {
		var file int64
		if v := r.URL.Query().Get("file"); v != "" {
			var err error
			if file, err = strconv.ParseInt(v, 10, 64); err != nil || file < 1 {
				return nil, sluice.Errorf(sluice.EINVALID, "The query parameter file=%q is not a file id.", v)
			}
		}
		version, err := queryInt(r, "version")
		if err != nil {
			return nil, err
		}
		events, err := ex.LineageEvents(ctx, ref(r), file, version, r.URL.Query().Get("namespace"))
		if err != nil {
			return nil, err
		}
		return LineageEvents{Events: events}, nil
	}
}

// DiffFileLineage compares two sides of a file's lineage (see LineageDiffRequest) and lists the tasks of
// other files, in projects the caller reads, that read what the change touches.
func (c *Client) DiffFileLineage(ctx context.Context, project string, fileID int64, in LineageDiffRequest) (LineageDiff, error) {
	var d LineageDiff
	return d, c.do(ctx, "POST", "DiffFileLineage", "/sluice/v1/projects/"+url.PathEscape(project)+"/files/"+
		strconv.FormatInt(fileID, 10)+"/lineage/diff", nil, in, &d)
}

// LineageEvents returns the OpenLineage events of committed versions of a project's files: of version of
// fileID, of fileID's last committed version (version 0), or of every file's (fileID 0); namespace "" is the
// server's job namespace.
func (c *Client) LineageEvents(ctx context.Context, project string, fileID int64, version int, namespace string) ([]openlineage.Event, error) {
	q := url.Values{}
	if fileID != 0 {
		q.Set("file", strconv.FormatInt(fileID, 10))
	}
	if version != 0 {
		q.Set("version", strconv.Itoa(version))
	}
	if namespace != "" {
		q.Set("namespace", namespace)
	}
	var out LineageEvents
	err := c.do(ctx, "GET", "ExportOpenLineage", "/sluice/v1/projects/"+url.PathEscape(project)+"/lineage/openlineage", q, nil, &out)
	return out.Events, err
}
