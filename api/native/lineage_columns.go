package native

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// ColumnGraphNode is a column of a column lineage graph on the wire; depth counts hops from the nearest root.
type ColumnGraphNode struct {
	Guid  string `json:"guid"`
	Depth int    `json:"depth"`
}

// ColumnGraphEdge points along the data flow, from a source column to a column made from it; files are the
// ids of the files whose versions make it.
type ColumnGraphEdge struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Kind  string  `json:"kind"`
	Files []int64 `json:"files"`
}

// GraphFile is a file making edges of a column graph: the version counted, and the DEV node running the file
// (absent when, as of a time, the file has been deleted since).
type GraphFile struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"projectId"`
	Name      string `json:"name"`
	Version   int    `json:"version"`
	NodeID    int64  `json:"nodeId,omitempty"`
}

// ColumnGraph is a multi-hop column lineage graph: through current versions, or as of asOf (RFC 3339, absent
// for current lineage). Truncated and depthLimited are as in Graph.
type ColumnGraph struct {
	Roots        []string          `json:"roots"`
	Direction    string            `json:"direction"`
	Depth        int               `json:"depth"`
	AsOf         string            `json:"asOf,omitempty"`
	Nodes        []ColumnGraphNode `json:"nodes"`
	Edges        []ColumnGraphEdge `json:"edges"`
	Files        []GraphFile       `json:"files"`
	Truncated    bool              `json:"truncated"`
	DepthLimited bool              `json:"depthLimited"`
}

// ParseAsOf reads a point in time as the API and the CLI take it: RFC 3339 (2026-12-01T08:00:00Z, fractions
// and offsets allowed) or epoch milliseconds, the vendors' timestamps.
func ParseAsOf(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789") == "" {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.UnixMilli(ms).UTC(), nil
		}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, sluice.Errorf(sluice.EINVALID, "The time %q is invalid: use RFC 3339 (2026-12-01T08:00:00Z) or epoch milliseconds.", s)
	}
	return t.UTC(), nil
}

// graphParams reads the parameters the table and the column graph share: direction (default down), depth and
// limit (0 when absent: the service's defaults).
func graphParams(r *http.Request) (dir sluice.LineageDirection, depth, limit int, err error) {
	if depth, err = queryInt(r, "depth"); err != nil {
		return "", 0, 0, err
	}
	if limit, err = queryInt(r, "limit"); err != nil {
		return "", 0, 0, err
	}
	dir = sluice.LineageDirection(r.URL.Query().Get("direction"))
	if dir == "" {
		dir = sluice.Downstream
	}
	return dir, depth, limit, nil
}

// graphValues is the client's side of graphParams.
func graphValues(direction string, depth, limit int) url.Values {
	v := url.Values{"direction": {direction}}
	if depth != 0 {
		v.Set("depth", strconv.Itoa(depth))
	}
	if limit != 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	return v
}

func (s *server) columnGraph(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	q := r.URL.Query()
	if len(q["column"]) == 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "The query parameter column (a column guid odps.<project>.<table>.<column>, repeatable) is required.")
	}
	dir, depth, limit, err := graphParams(r)
	if err != nil {
		return nil, err
	}
	var asOf time.Time
	if v := q.Get("asOf"); v != "" {
		if asOf, err = ParseAsOf(v); err != nil {
			return nil, err
		}
	}
	g, err := s.Lineage.FindColumnGraph(ctx, sluice.ColumnGraphQuery{Guids: q["column"], Direction: dir, Depth: depth, Limit: limit, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	out := ColumnGraph{Roots: g.Roots, Direction: string(g.Direction), Depth: g.Depth, Truncated: g.Truncated, DepthLimited: g.DepthLimited,
		Nodes: make([]ColumnGraphNode, 0, len(g.Nodes)), Edges: make([]ColumnGraphEdge, 0, len(g.Edges)), Files: make([]GraphFile, 0, len(g.Files))}
	if !g.AsOf.IsZero() {
		out.AsOf = g.AsOf.UTC().Format(time.RFC3339Nano)
	}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, ColumnGraphNode(n))
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, ColumnGraphEdge(e))
	}
	for _, f := range g.Files {
		out.Files = append(out.Files, GraphFile(f))
	}
	return out, nil
}

// ColumnGraphQuery asks ColumnGraph for the lineage graph around one or more columns (guids): Direction "up"
// or "down"; Depth and Limit 0 take the server's defaults; AsOf zero asks for current lineage.
type ColumnGraphQuery struct {
	Columns   []string
	Direction string
	Depth     int
	Limit     int
	AsOf      time.Time
}

// ColumnGraph returns the column lineage graph of q.
func (c *Client) ColumnGraph(ctx context.Context, q ColumnGraphQuery) (ColumnGraph, error) {
	v := graphValues(q.Direction, q.Depth, q.Limit)
	v["column"] = q.Columns
	if !q.AsOf.IsZero() {
		v.Set("asOf", q.AsOf.UTC().Format(time.RFC3339Nano))
	}
	var g ColumnGraph
	return g, c.do(ctx, "GET", "GetColumnLineageGraph", "/sluice/v1/lineage/columns/graph", v, nil, &g)
}
