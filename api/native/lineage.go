package native

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sluice-dev/sluice"
)

// GraphNode is a table or a task of a lineage graph on the wire.
type GraphNode struct {
	ID        string `json:"id"`   // table guid, or node id in decimal
	Kind      string `json:"kind"` // table or task
	Name      string `json:"name"`
	ProjectID int64  `json:"projectId,omitempty"`
	Depth     int    `json:"depth"`
}

// GraphEdge points along the data flow.
type GraphEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Graph is a multi-hop lineage graph. Truncated is true when the node limit cut it short, DepthLimited when
// lineage goes on beyond the depth asked for.
type Graph struct {
	Root         string      `json:"root"`
	Direction    string      `json:"direction"`
	Depth        int         `json:"depth"`
	Nodes        []GraphNode `json:"nodes"`
	Edges        []GraphEdge `json:"edges"`
	Truncated    bool        `json:"truncated"`
	DepthLimited bool        `json:"depthLimited"`
}

// LineageError is a statement the lineage parser did not understand.
type LineageError struct {
	Statement int    `json:"statement"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Reason    string `json:"reason"`
	Partial   bool   `json:"partial,omitempty"` // lineage was still recovered from the statement
}

// VersionLineage is the table lineage recorded with one committed version of a file.
type VersionLineage struct {
	FileID  int64          `json:"fileId"`
	Version int            `json:"version"`
	Parsed  bool           `json:"parsed"`
	Dialect string         `json:"dialect,omitempty"`
	Inputs  []string       `json:"inputs"`
	Outputs []string       `json:"outputs"`
	Errors  []LineageError `json:"errors"`
	Columns []ColumnEdge   `json:"columns"` // column lineage; empty when none was recorded
}

// ColumnEdge is one edge of a version's column lineage: target's values come from source (column guids,
// odps.<project>.<table>.<column>); source is empty for a constant.
type ColumnEdge struct {
	Target string `json:"target"`
	Source string `json:"source,omitempty"`
	Kind   string `json:"kind"`
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, sluice.Errorf(sluice.EINVALID, "The query parameter %s=%q is not an integer.", name, v)
	}
	return n, nil
}

func (s *server) lineageGraph(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	q := r.URL.Query()
	if q.Get("table") == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The query parameter table (a table guid odps.<project>.<table>) is required.")
	}
	dir, depth, limit, err := graphParams(r)
	if err != nil {
		return nil, err
	}
	g, err := s.Lineage.FindLineageGraph(ctx, sluice.GraphQuery{Guid: q.Get("table"), Direction: dir, Depth: depth, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := Graph{Root: g.Root, Direction: string(g.Direction), Depth: g.Depth, Truncated: g.Truncated, DepthLimited: g.DepthLimited,
		Nodes: make([]GraphNode, 0, len(g.Nodes)), Edges: make([]GraphEdge, 0, len(g.Edges))}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, GraphNode(n))
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, GraphEdge(e))
	}
	return out, nil
}

func (s *server) versionLineage(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return nil, sluice.Errorf(sluice.EINVALID, "The file id %q is not an integer.", r.PathValue("file"))
	}
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		return nil, sluice.Errorf(sluice.EINVALID, "The version %q is not an integer.", r.PathValue("version"))
	}
	l, err := s.Lineage.FindVersionLineage(ctx, ref(r), id, v)
	if err != nil {
		return nil, err
	}
	out := VersionLineage{FileID: l.FileID, Version: l.Version, Parsed: l.Parsed, Dialect: l.Dialect, Inputs: l.Inputs, Outputs: l.Outputs,
		Errors: wireLineageErrors(l.Errors), Columns: make([]ColumnEdge, 0, len(l.Columns))}
	for _, c := range l.Columns {
		out.Columns = append(out.Columns, ColumnEdge(c))
	}
	return out, nil
}

// LineageGraph returns the lineage graph around table (a guid): direction "up" or "down"; depth and limit 0
// take the server's defaults.
func (c *Client) LineageGraph(ctx context.Context, table, direction string, depth, limit int) (Graph, error) {
	q := graphValues(direction, depth, limit)
	q.Set("table", table)
	var g Graph
	return g, c.do(ctx, "GET", "GetLineageGraph", "/sluice/v1/lineage/graph", q, nil, &g)
}

// FileVersionLineage returns the lineage recorded with version of a file.
func (c *Client) FileVersionLineage(ctx context.Context, project string, fileID int64, version int) (VersionLineage, error) {
	var l VersionLineage
	return l, c.do(ctx, "GET", "GetFileVersionLineage", "/sluice/v1/projects/"+url.PathEscape(project)+"/files/"+
		strconv.FormatInt(fileID, 10)+"/versions/"+strconv.Itoa(version)+"/lineage", nil, nil, &l)
}

func wireLineageErrors(errs []sluice.LineageError) []LineageError {
	out := make([]LineageError, len(errs))
	for i, e := range errs {
		out[i] = LineageError(e)
	}
	return out
}
