package sqlstore

import (
	"context"
	"database/sql"

	"github.com/sluice-dev/sluice"
)

// FindColumnReaders returns the current DEV nodes reading each column: the nodes whose version has it as the
// source of an edge. One statement serves every column, the list bound as one parameter (strList), so the
// columns of a wide table cost one round trip; the partial index of current edges (devColumns) leads each
// column to the files reading it now.
func (db *DB) FindColumnReaders(ctx context.Context, columns []string, projectIDs []int64) (map[string][]*sluice.Node, error) {
	return db.findReaders(ctx, db.devColumnEdges("r", "source"), "r.source", " AND "+devColumns("r"), columns, projectIDs)
}

// FindTableReaders returns the current DEV nodes reading each table, as FindColumnReaders does columns.
func (db *DB) FindTableReaders(ctx context.Context, tables []string, projectIDs []int64) (map[string][]*sluice.Node, error) {
	return db.findReaders(ctx, "version_lineage r", "r.guid", " AND r.direction = 'in'", tables, projectIDs)
}

// findReaders reads the nodes whose current version has a row of from (aliased r) with col in guids and the
// condition cond, grouped by guid and ordered by node id. A version reading a column into several targets has
// a row for each; rows come ordered by guid and node, so a repeat is the row before.
func (db *DB) findReaders(ctx context.Context, from, col, cond string, guids []string, projectIDs []int64) (map[string][]*sluice.Node, error) {
	out := map[string][]*sluice.Node{}
	if len(guids) == 0 {
		return out, nil
	}
	in, args, fixed := db.strList(col, guids)
	projects, projectArgs := db.projectFilter("n.project_id", projectIDs)
	rows, err := db.queryFiltered(ctx, !fixed, "SELECT "+col+", "+nodeColumns+" FROM "+from+currentJoin("r", "n", "DEV")+
		" WHERE "+in+cond+projects+" ORDER BY "+col+", n.id", append(args, projectArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var guid string
		n, err := scanNode(guidRow{rows, &guid})
		if err != nil {
			return nil, err
		}
		if prev := out[guid]; len(prev) > 0 && prev[len(prev)-1].ID == n.ID {
			continue
		}
		out[guid] = append(out[guid], n)
	}
	return out, rows.Err()
}

// guidRow scans a row of a guid followed by the node columns.
type guidRow struct {
	rows *sql.Rows
	guid *string
}

func (r guidRow) Scan(dest ...any) error { return r.rows.Scan(append([]any{r.guid}, dest...)...) }
