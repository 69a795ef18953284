package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/sluice-dev/sluice"
)

var _ sluice.LineageStore = (*DB)(nil)

// insertLineage records a committed version's lineage and catalogues its tables in the file's project. It
// runs inside the commit's transaction, so a version never exists without its lineage.
func (tx *Tx) insertLineage(ctx context.Context, projectID, fileID int64, version int, l *sluice.VersionLineage) error {
	if _, err := tx.exec(ctx, `INSERT INTO version_lineage_reports (project_id, file_id, version, parsed, dialect, errors)
		VALUES (?, ?, ?, ?, ?, ?)`, projectID, fileID, version, l.Parsed, l.Dialect, marshalLineageErrors(l.Errors)); err != nil {
		return fmt.Errorf("record lineage report: %w", err)
	}
	now := millis(tx.now)
	for _, e := range []struct {
		dir   string
		guids []string
	}{{"in", l.Inputs}, {"out", l.Outputs}} {
		for _, g := range dedupe(e.guids) {
			if _, err := tx.exec(ctx, "INSERT INTO version_lineage (project_id, file_id, version, direction, guid) VALUES (?, ?, ?, ?, ?)",
				projectID, fileID, version, e.dir, g); err != nil {
				return fmt.Errorf("record lineage: %w", err)
			}
			if err := tx.catalogue(ctx, projectID, g, now); err != nil {
				return err
			}
		}
	}
	return tx.insertColumnLineage(ctx, projectID, fileID, version, l.Columns)
}

// catalogue records that projectID's lineage named guid, and enters the table into the MaxCompute catalogue of
// the project the guid names, if Sluice has one: undescribed, without columns, until DDL describes it. A table
// the catalogue holds already, described or not, is left as it is.
func (tx *Tx) catalogue(ctx context.Context, projectID int64, guid string, now int64) error {
	if _, err := tx.exec(ctx, "INSERT INTO lineage_tables (project_id, guid, created_at) VALUES (?, ?, ?) ON CONFLICT (project_id, guid) DO NOTHING",
		projectID, guid, now); err != nil {
		return fmt.Errorf("catalogue table: %w", err)
	}
	ref, err := sluice.ParseTableGuid(guid)
	if err != nil {
		return nil // not a MaxCompute table guid: nothing to describe
	}
	schema := ref.Schema
	if schema == "" {
		schema = sluice.DefaultSchema
	}
	// Guids are lower case and project names are ASCII, so lower() finds the project on both databases. The
	// times are cast: PostgreSQL types a bare parameter of a SELECT list as text.
	if _, err := tx.exec(ctx, `INSERT INTO catalog_tables (project_id, schema_name, name, kind, described, columns, partition_columns,
			comment, lifecycle, owner, label, view_text, created_at, updated_at)
		SELECT id, ?, ?, 'table', FALSE, '[]', '[]', '', 0, '', 0, '', CAST(? AS BIGINT), CAST(? AS BIGINT) FROM projects WHERE lower(name) = ?
		ON CONFLICT (project_id, schema_name, name) DO NOTHING`, schema, ref.Name, now, now, ref.Project); err != nil {
		return fmt.Errorf("catalogue table %s: %w", guid, err)
	}
	return nil
}

func dedupe(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	n := 0
	for i, v := range out {
		if i == 0 || v != out[n-1] {
			out[n] = v
			n++
		}
	}
	return out[:n]
}

// FindTableCatalogues returns every project catalogue entry of guid, by project id.
func (db *DB) FindTableCatalogues(ctx context.Context, guid string) ([]*sluice.Table, error) {
	rows, err := db.query(ctx, "SELECT project_id, guid, created_at FROM lineage_tables WHERE guid = ? ORDER BY project_id", guid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []*sluice.Table{}
	for rows.Next() {
		var t sluice.Table
		var created int64
		if err := rows.Scan(&t.ProjectID, &t.Guid, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = fromMillis(created)
		t.Ref, _ = sluice.ParseTableGuid(t.Guid)
		ts = append(ts, &t)
	}
	return ts, rows.Err()
}

// currentJoin joins a version_lineage row (alias v) to the node of env alias n that runs its version. The
// row's flag of env (currentFlag) says the same as the join's version equality, and is what lets a table's
// current rows be read as one range of the partial index of that flag, not every version its files ever had.
func currentJoin(v, n, env string) string {
	return " JOIN nodes " + n + " ON " + n + ".file_id = " + v + ".file_id AND " + n + ".env = '" + env + "' AND " +
		n + ".file_version = " + v + ".version AND " + currentFlag(v, env)
}

// currentFlag is the condition that the version_lineage row v belongs to the version its file's node of env
// runs (see moveCurrentLineage).
func currentFlag(v, env string) string { return v + "." + flagColumn(env) }

// flagColumn names the lineage rows' flag of env.
func flagColumn(env string) string {
	if env == string(sluice.EnvProd) {
		return "prod_current"
	}
	return "dev_current"
}

// moveCurrentLineage moves file fileID's current lineage in env to version to (0 when the node is about to be
// deleted), from the version its node nodeID of env runs now: the table lineage flag of env and, in DEV, the
// column lineage flag. It runs in the transaction that changes the node, before the change, so the flags and
// the nodes never disagree: a recommit or a deployment replaces the file's current rows, a deleted file's drop
// out, and every version keeps its rows for lineage as of a version. Only the two versions' rows are touched,
// by primary key. This is the one place the flags change after a version is recorded.
func (tx *Tx) moveCurrentLineage(ctx context.Context, env sluice.Env, fileID, nodeID int64, to int) error {
	flag := flagColumn(string(env))
	tables := []string{"version_lineage"}
	if env == sluice.EnvDev {
		tables = append(tables, "version_column_lineage")
	}
	for _, t := range tables {
		if _, err := tx.exec(ctx, "UPDATE "+t+" SET "+flag+" = FALSE WHERE file_id = ?"+
			" AND version = (SELECT file_version FROM nodes WHERE id = ? AND env = ?) AND version <> ? AND "+flag,
			fileID, nodeID, string(env), to); err != nil {
			return fmt.Errorf("retire %s lineage of file %d: %w", env, fileID, err)
		}
		if to == 0 {
			continue
		}
		if _, err := tx.exec(ctx, "UPDATE "+t+" SET "+flag+" = TRUE WHERE file_id = ? AND version = ? AND NOT "+flag,
			fileID, to); err != nil {
			return fmt.Errorf("make %s lineage of file %d version %d current: %w", env, fileID, to, err)
		}
	}
	return nil
}

func allowed(ids []int64) map[int64]bool {
	if ids == nil {
		return nil
	}
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// queryFiltered runs a query whose text depends on a filter: prepared and kept only when it does not.
func (db *DB) queryFiltered(ctx context.Context, filtered bool, query string, args ...any) (*sql.Rows, error) {
	if !filtered {
		return db.query(ctx, query, args...)
	}
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	return rows, textError(err)
}

func scanNodes(rows *sql.Rows, keep map[int64]bool) ([]*sluice.Node, error) {
	defer rows.Close()
	nodes := []*sluice.Node{}
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, err
		}
		if keep == nil || keep[n.ProjectID] {
			nodes = append(nodes, n)
		}
	}
	return nodes, rows.Err()
}

// FindProducingNodes returns the DEV nodes whose current version writes guid. The query text is fixed (and
// prepared); the project filter is applied to its few rows.
func (db *DB) FindProducingNodes(ctx context.Context, guid string, projectIDs []int64) ([]*sluice.Node, error) {
	rows, err := db.query(ctx, "SELECT "+nodeColumns+" FROM version_lineage v"+currentJoin("v", "n", "DEV")+
		" WHERE v.guid = ? AND v.direction = 'out' ORDER BY n.id", guid)
	if err != nil {
		return nil, err
	}
	return scanNodes(rows, allowed(projectIDs))
}

// directions returns the direction of the start table's rows and of its neighbours' rows: downstream, the
// start is read ('in') and the neighbours written ('out').
func directions(dir sluice.LineageDirection) (from, to string) {
	if dir == sluice.Upstream {
		return "out", "in"
	}
	return "in", "out"
}

// FindTableLinks merges the neighbours through committed nodes and through manual relations, by guid.
func (db *DB) FindTableLinks(ctx context.Context, q sluice.LineageQuery) ([]*sluice.TableLink, bool, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	from, to := directions(q.Direction)
	filter := ""
	args := []any{q.Guid, from, to, q.After}
	if q.Keyword != "" {
		filter = ` AND o.guid LIKE ? ESCAPE '\'`
		args = append(args, likeContains(strings.ToLower(q.Keyword)))
	}
	nodeProjects, nodeProjectArgs := db.projectFilter("n.project_id", q.ProjectIDs)
	args = append(append(args, nodeProjectArgs...), limit+1)
	rows, err := db.query(ctx, "SELECT DISTINCT o.guid FROM version_lineage i"+currentJoin("i", "n", "DEV")+
		" JOIN version_lineage o ON o.file_id = i.file_id AND o.version = i.version"+
		" WHERE i.guid = ? AND i.direction = ? AND o.direction = ? AND o.guid <> i.guid AND o.guid > ?"+filter+
		nodeProjects+" ORDER BY o.guid LIMIT ?", args...)
	if err != nil {
		return nil, false, err
	}
	links := map[string]*sluice.TableLink{}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			rows.Close()
			return nil, false, err
		}
		links[g] = &sluice.TableLink{Guid: g, Auto: true}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}

	self, other := "src", "dest"
	if q.Direction == sluice.Upstream {
		self, other = "dest", "src"
	}
	rargs := []any{q.Guid, q.After}
	rfilter := ""
	if q.Keyword != "" {
		rfilter = " AND " + other + ` LIKE ? ESCAPE '\'`
		rargs = append(rargs, likeContains(strings.ToLower(q.Keyword)))
	}
	relProjects, relProjectArgs := db.projectFilter("project_id", q.ProjectIDs)
	rargs = append(append(rargs, relProjectArgs...), limit+1)
	rrows, err := db.query(ctx, "SELECT "+relationColumns+" FROM lineage_relations WHERE "+self+" = ? AND "+
		other+" > ?"+rfilter+relProjects+" ORDER BY "+other+" LIMIT ?", rargs...)
	if err != nil {
		return nil, false, err
	}
	rels, err := scanRelations(rrows)
	if err != nil {
		return nil, false, err
	}
	for _, r := range rels {
		g := r.Dest
		if q.Direction == sluice.Upstream {
			g = r.Src
		}
		if l, ok := links[g]; ok {
			l.Relation = r
		} else {
			links[g] = &sluice.TableLink{Guid: g, Relation: r}
		}
	}
	out := make([]*sluice.TableLink, 0, len(links))
	for _, l := range links {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Guid < out[j].Guid })
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// FindNodeNeighbours returns the nodes of env whose current versions share a table with node id's current
// version: upstream, the writers of what it reads; downstream, the readers of what it writes.
func (db *DB) FindNodeNeighbours(ctx context.Context, id int64, env sluice.Env, dir sluice.LineageDirection, projectIDs []int64) ([]*sluice.Node, error) {
	from, to := "out", "in" // children read what it writes
	if dir == sluice.Upstream {
		from, to = "in", "out" // parents write what it reads
	}
	e := string(env)
	if env != sluice.EnvDev && env != sluice.EnvProd {
		return nil, sluice.Errorf(sluice.EINVALID, "Environment %q is invalid.", env)
	}
	rows, err := db.query(ctx, "SELECT DISTINCT "+nodeColumns+" FROM nodes m"+
		" JOIN version_lineage a ON a.file_id = m.file_id AND a.version = m.file_version AND a.direction = ?"+
		" JOIN version_lineage b ON b.guid = a.guid AND b.direction = ?"+currentJoin("b", "n", e)+
		" WHERE m.id = ? AND m.env = ? AND n.id <> m.id ORDER BY n.id", from, to, id, e)
	if err != nil {
		return nil, err
	}
	return scanNodes(rows, allowed(projectIDs))
}

// FindVersionLineage returns the lineage recorded with a version. A version committed without lineage (or
// before lineage was recorded) answers Parsed false and empty sets.
func (db *DB) FindVersionLineage(ctx context.Context, projectID, fileID int64, version int) (*sluice.VersionLineage, error) {
	l := &sluice.VersionLineage{FileID: fileID, Version: version, Inputs: []string{}, Outputs: []string{}, Errors: []sluice.LineageError{},
		Columns: []sluice.ColumnEdge{}}
	var errs string
	err := db.queryRow(ctx, "SELECT parsed, dialect, errors FROM version_lineage_reports WHERE project_id = ? AND file_id = ? AND version = ?",
		projectID, fileID, version).Scan(&l.Parsed, &l.Dialect, &errs)
	switch {
	case err == sql.ErrNoRows:
		if _, err := db.FindFileVersion(ctx, projectID, fileID, version); err != nil {
			return nil, err
		}
		return l, nil
	case err != nil:
		return nil, err
	}
	if l.Errors, err = unmarshalLineageErrors(errs); err != nil {
		return nil, fmt.Errorf("lineage errors of file %d version %d: %w", fileID, version, err)
	}
	rows, err := db.query(ctx, "SELECT direction, guid FROM version_lineage WHERE file_id = ? AND version = ? ORDER BY direction, guid", fileID, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dir, g string
		if err := rows.Scan(&dir, &g); err != nil {
			return nil, err
		}
		if dir == "in" {
			l.Inputs = append(l.Inputs, g)
		} else {
			l.Outputs = append(l.Outputs, g)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	l.Columns, err = db.versionColumns(ctx, fileID, version)
	return l, err
}

const relationColumns = "guid, project_id, src, dest, type, created_by, created_at"

func scanRelations(rows *sql.Rows) ([]*sluice.LineageRelation, error) {
	defer rows.Close()
	rs := []*sluice.LineageRelation{}
	for rows.Next() {
		var r sluice.LineageRelation
		var created int64
		if err := rows.Scan(&r.Guid, &r.ProjectID, &r.Src, &r.Dest, &r.Type, &r.CreatedBy, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMillis(created)
		rs = append(rs, &r)
	}
	return rs, rows.Err()
}

// CreateLineageRelation records a manual edge and catalogues its tables in its project.
func (db *DB) CreateLineageRelation(ctx context.Context, r *sluice.LineageRelation) error {
	if r.Guid == "" {
		r.Guid = newFolderID()
	}
	return db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		_, err := tx.exec(ctx, "INSERT INTO lineage_relations ("+relationColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
			r.Guid, r.ProjectID, r.Src, r.Dest, r.Type, r.CreatedBy, now)
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "A lineage relation from %s to %s exists already.", r.Src, r.Dest)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", r.ProjectID)
		case err != nil:
			return err
		}
		r.CreatedAt = fromMillis(now)
		if err := tx.catalogue(ctx, r.ProjectID, r.Src, now); err != nil {
			return err
		}
		return tx.catalogue(ctx, r.ProjectID, r.Dest, now)
	})
}

// FindLineageRelations returns the relations src -> dest ("" matches any), by guid.
func (db *DB) FindLineageRelations(ctx context.Context, src, dest string) ([]*sluice.LineageRelation, error) {
	rows, err := db.query(ctx, "SELECT "+relationColumns+" FROM lineage_relations WHERE (src = ? OR ? = '') AND (dest = ? OR ? = '') ORDER BY guid",
		src, src, dest, dest)
	if err != nil {
		return nil, err
	}
	return scanRelations(rows)
}

// DeleteLineageRelation deletes a relation by guid.
func (db *DB) DeleteLineageRelation(ctx context.Context, guid string) error {
	// In a transaction so that the change's audit entry commits with it.
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "DELETE FROM lineage_relations WHERE guid = ?", guid)
		return checkAffected(res, err, "Lineage relation %s does not exist.", guid)
	})
}
