package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/native"
)

// Graph levels: what the argument of `lineage graph` names.
const (
	graphTable  = "table"
	graphColumn = "column"
	graphEither = "" // odps.P.T.C: column C of table P.T, or table C of schema T of project P
)

// graphLevel tells from a guid's shape whether it names a table (odps.P.T), a column (odps.P.S.T.C) or
// either: odps.P.T.C is a column of P.T and a table of schema T of P alike.
func graphLevel(guid string) string {
	switch strings.Count(strings.TrimPrefix(strings.ToLower(guid), "odps."), ".") {
	case 1:
		return graphTable
	case 2:
		return graphEither
	}
	return graphColumn
}

// lineageGraph asks for the table or the column graph of guid. A guid that may be either is first looked up
// as a table, and as a column when no table has that guid; with an as-of time it is a column, since only
// column lineage is kept through time.
func lineageGraph(cmd *cobra.Command, cl *native.Client, guid string, column bool, q native.ColumnGraphQuery) (any, error) {
	level := graphLevel(guid)
	if column && level == graphTable {
		return nil, fmt.Errorf("%s is not a column: a column guid is odps.PROJECT.TABLE.COLUMN", guid)
	}
	if !q.AsOf.IsZero() && level == graphTable {
		return nil, fmt.Errorf("--as-of is for column lineage: %s is a table", guid)
	}
	if column || !q.AsOf.IsZero() {
		level = graphColumn
	}
	if level != graphColumn {
		g, err := cl.LineageGraph(cmd.Context(), guid, q.Direction, q.Depth, q.Limit)
		var se *alibaba.ServiceError
		if level == graphTable || !errors.As(err, &se) || se.Code != "NotFound" {
			return g, err
		}
	}
	q.Columns = []string{guid}
	g, err := cl.ColumnGraph(cmd.Context(), q)
	var se *alibaba.ServiceError
	if level == graphEither && errors.As(err, &se) && se.Code == "NotFound" {
		return nil, fmt.Errorf("%s is neither a catalogued table nor a column of one: %w", guid, err)
	}
	return g, err
}

// printColumnGraph prints a column graph in the table graph's layout: its nodes (the column's name), then its
// edges with their kind and the files making them.
func printColumnGraph(w io.Writer, flags *clientFlags, g native.ColumnGraph) error {
	names := make(map[int64]string, len(g.Files))
	for _, f := range g.Files {
		names[f.ID] = f.Name
	}
	rows := make([][]string, 0, len(g.Nodes)+len(g.Edges))
	for _, n := range g.Nodes {
		rows = append(rows, []string{"node", strconv.Itoa(n.Depth), "column", n.Guid, n.Guid[strings.LastIndexByte(n.Guid, '.')+1:]})
	}
	for _, e := range g.Edges {
		via := make([]string, 0, len(e.Files))
		for _, id := range e.Files {
			via = append(via, strings.TrimSpace(names[id]+" ("+strconv.FormatInt(id, 10)+")"))
		}
		rows = append(rows, []string{"edge", "", e.Kind, e.From, e.To + " via " + strings.Join(via, ", ")})
	}
	if err := flags.print(w, g, []string{"ITEM", "DEPTH", "KIND", "ID/FROM", "NAME/TO VIA FILES"}, rows); err != nil {
		return err
	}
	graphNotes(w, flags, g.Truncated, g.DepthLimited, len(g.Nodes), g.Depth)
	return nil
}

// graphNotes says, in table output, that the graph printed is not all there is.
func graphNotes(w io.Writer, flags *clientFlags, truncated, depthLimited bool, nodes, depth int) {
	if flags.output == "json" {
		return
	}
	if truncated {
		fmt.Fprintf(w, "truncated: the graph has more than %d nodes; raise --limit\n", nodes)
	}
	if depthLimited {
		fmt.Fprintf(w, "depth limited: lineage goes on beyond %d hops; raise --depth\n", depth)
	}
}
