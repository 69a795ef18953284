package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

var (
	_ sluice.CatalogStore = (*DB)(nil)
	_ sluice.CatalogTx    = (*catalogTx)(nil)
)

// catalogLockClass is the first key of the PostgreSQL advisory lock that serialises the changes of one
// project's catalogue; the second is the project id. Locks of two keys are a key space apart from those of
// one (the migration lock, migrationLockID), so the two never collide.
const catalogLockClass int32 = 0x5107ca7

// catalogTx is a CatalogTx over one transaction: a read-only one on the read pool, or the writer's.
type catalogTx struct {
	db     *DB
	tx     *sql.Tx
	now    int64 // milliseconds: everything one transaction writes carries one time
	write  bool
	missed []string             // queries run unprepared, for warm
	local  map[string]*sql.Stmt // SQLite's writer: queries run, and those prepared on its connection
}

// ReadCatalog runs fn in a read-only transaction on the read pool. On PostgreSQL it is REPEATABLE READ, so
// that a package and its objects and allow-list, read by separate queries, are of one moment (SQLite's read
// transactions are snapshots already).
func (db *DB) ReadCatalog(ctx context.Context, fn func(tx sluice.CatalogTx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	stx, release, err := beginTx(ctx, db.r, db.rSlots, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer release()
	defer stx.Rollback() // nothing to commit: the transaction only read
	c := &catalogTx{db: db, tx: stx, now: millis(db.Now())}
	err = fn(c)
	stx.Rollback() // the connection goes back before warm takes one
	db.warm(ctx, c.missed)
	return textError(err)
}

// UpdateCatalog runs fn in a write transaction holding the catalogue locks of projectIDs. SQLite's one
// writer serialises every write transaction already; PostgreSQL takes one advisory lock per project, in key
// order so that two updates never wait for each other in a cycle, held to the end of the transaction.
func (db *DB) UpdateCatalog(ctx context.Context, projectIDs []int64, fn func(tx sluice.CatalogTx) error) error {
	var c *catalogTx
	defer func() {
		if c != nil {
			db.warm(ctx, c.missed)
		}
	}()
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			keys := make([]int32, 0, len(projectIDs))
			for _, id := range projectIDs {
				// Ids past 2^31 wrap: two projects then share a lock, which only makes them wait for each other.
				keys = append(keys, int32(id))
			}
			slices.Sort(keys)
			for _, k := range slices.Compact(keys) {
				if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?, ?)", catalogLockClass, k); err != nil {
					return fmt.Errorf("catalogue lock: %w", err)
				}
			}
		}
		c = &catalogTx{db: db, tx: tx.tx, now: millis(tx.now), write: true}
		return fn(c)
	})
}

func (c *catalogTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if !c.write {
		// SQLite's read pool would take the write (and wait for the writer's lock) where PostgreSQL refuses it.
		return nil, errors.New("catalogue: a change in a read-only transaction")
	}
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.tx.ExecContext(ctx, c.db.q(query), args...)
}

// stmt returns the transaction's form of the read pool's prepared statement for query, or nil where there is
// none to reuse. Parsing costs more than running most of these queries; database/sql prepares a statement once
// per connection and keeps it for the next transaction on it. SQLite's writer is a pool of its own: see local.
func (c *catalogTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if c.write && c.db.dialect == SQLite {
		return c.prepareLocal(ctx, query)
	}
	st, ok := c.db.stmts.Load(query)
	if !ok {
		c.missed = append(c.missed, query)
		return nil
	}
	return c.tx.StmtContext(ctx, st.(*sql.Stmt))
}

// prepareLocal returns a statement prepared on SQLite's writer connection for a query the transaction runs a
// second time (the objects of a package, a script of DDL), nil the first time: a query run once costs no more
// unprepared, and the writer's statements do not outlive the transaction.
func (c *catalogTx) prepareLocal(ctx context.Context, query string) *sql.Stmt {
	st, seen := c.local[query]
	switch {
	case st != nil:
		return st
	case !seen:
		if c.local == nil {
			c.local = map[string]*sql.Stmt{}
		}
		c.local[query] = nil
		return nil
	}
	st, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil // run unprepared, where the error shows
	}
	c.local[query] = st
	return st
}

// warm prepares the statements a transaction ran unprepared, once it has given its connection back: preparing
// takes a connection of the pool, and transactions that waited for one while holding their own could wait for
// ever, every connection held so. A statement that fails to prepare is tried again at its next use.
func (db *DB) warm(ctx context.Context, queries []string) {
	for _, q := range queries {
		if _, err := db.prepared(ctx, q); err != nil {
			return
		}
	}
}

func (c *catalogTx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, c.db.q(query), args...)
}

// insertRow runs an INSERT ... RETURNING in a write transaction.
func (c *catalogTx) insertRow(ctx context.Context, query string, args []any, dest ...any) error {
	if !c.write {
		return errors.New("catalogue: a change in a read-only transaction")
	}
	return c.queryRow(ctx, query, args...).Scan(dest...)
}

func (c *catalogTx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.tx.QueryContext(ctx, c.db.q(query), args...)
}

// mustExist returns ENOTFOUND, saying notFound, unless query (SELECT EXISTS ...) finds its row. It tells, after
// an insert that inserted nothing, a name taken (ECONFLICT) from a project or package that is not there.
func (c *catalogTx) mustExist(ctx context.Context, notFound string, query string, args ...any) error {
	var ok bool
	if err := c.queryRow(ctx, query, args...).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return sluice.Errorf(sluice.ENOTFOUND, "%s", notFound)
	}
	return nil
}

// changed reports whether a change touched a row.
func changed(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// marshalList encodes a list column. An empty list is "[]", never "null".
func marshalList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // fewer escapes: more lists take the decoders' fast path (listScanner)
	if err := enc.Encode(v); err != nil {
		panic(err) // plain structs and strings always encode
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// unmarshalList decodes a list column into a non-nil slice.
func unmarshalList[T any](s string) ([]T, error) {
	out := []T{}
	if s == "[]" { // most lists of most rows: skip the decoder
		return out, nil
	}
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

// columnRecord is the stored form of a column; empty comments and zero labels are left out.
type columnRecord struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Comment string `json:"comment,omitempty"`
	Label   int    `json:"label,omitempty"`
}

func marshalColumns(cs []sluice.Column) string {
	return marshalList(convertAll(cs, func(c sluice.Column) columnRecord { return columnRecord(c) }))
}

// unmarshalColumns decodes a column list. Decoding it with encoding/json took three quarters of the time of
// reading a page of tables, so the lists marshalList writes are read by listScanner; the rest (escaped strings,
// keys it does not know) by encoding/json.
func unmarshalColumns(s string) ([]sluice.Column, error) {
	if cs, ok := scanColumns(s); ok {
		return cs, nil
	}
	rs, err := unmarshalList[columnRecord](s)
	if err != nil {
		return nil, err
	}
	return convertAll(rs, func(r columnRecord) sluice.Column { return sluice.Column(r) }), nil
}

// unmarshalStrings decodes a list of strings (actions, a function's resources) as unmarshalColumns does.
func unmarshalStrings(s string) ([]string, error) {
	p := listScanner{s: s}
	out := []string{}
	if p.eat('[') {
		if p.eat(']') && p.end() {
			return out, nil
		}
		for {
			v, ok := p.str()
			if !ok {
				break
			}
			out = append(out, v)
			if p.eat(']') && p.end() {
				return out, nil
			}
			if !p.eat(',') {
				break
			}
		}
	}
	return unmarshalList[string](s)
}

func scanColumns(s string) ([]sluice.Column, bool) {
	p := listScanner{s: s}
	cs := []sluice.Column{}
	if !p.eat('[') {
		return nil, false
	}
	if p.eat(']') {
		return cs, p.end()
	}
	for {
		var c sluice.Column
		if !p.eat('{') {
			return nil, false
		}
		for {
			key, ok := p.str()
			if !ok || !p.eat(':') {
				return nil, false
			}
			switch key {
			case "name":
				c.Name, ok = p.str()
			case "type":
				c.Type, ok = p.str()
			case "comment":
				c.Comment, ok = p.str()
			case "label":
				c.Label, ok = p.int()
			default:
				ok = false
			}
			if !ok {
				return nil, false
			}
			if p.eat('}') {
				break
			}
			if !p.eat(',') {
				return nil, false
			}
		}
		cs = append(cs, c)
		if p.eat(']') {
			return cs, p.end()
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

// listScanner reads the JSON that marshalList writes: no white space, strings of valid UTF-8 without escapes,
// integers. It reports false at anything else, which encoding/json then reads.
type listScanner struct {
	s string
	i int
}

func (p *listScanner) end() bool { return p.i == len(p.s) }

func (p *listScanner) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string without escapes. Its value shares the list's memory.
func (p *listScanner) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	for j := p.i; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			v := p.s[p.i:j]
			p.i = j + 1
			return v, utf8.ValidString(v) // encoding/json turns invalid bytes into U+FFFD
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

func (p *listScanner) int() (int, bool) {
	j := p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	digits := j
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j-digits > 1 && p.s[digits] == '0' { // JSON has no leading zeros; strconv reads them
		return 0, false
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	if err != nil {
		return 0, false
	}
	p.i = j
	return n, true
}

// prefixEnd returns the least string above every string that starts with prefix, in the order both databases
// compare names here (bytes of UTF-8, which is code point order), so that a prefix is a range of an index;
// false when there is none (a prefix all of U+10FFFF).
func prefixEnd(prefix string) (string, bool) {
	rs := []rune(prefix)
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i] + 1
		if r == 0xD800 { // surrogates are not characters: the next one is U+E000
			r = 0xE000
		}
		if r <= unicode.MaxRune {
			rs[i] = r
			return string(rs[:i+1]), true
		}
	}
	return "", false
}

// namePrefix returns the condition that col starts with prefix, and its arguments: an index range where the
// prefix is valid UTF-8 (names are), the exact comparison of hasPrefix otherwise.
func namePrefix(col, prefix string) (string, []any) {
	if !utf8.ValidString(prefix) {
		cond, args := hasPrefix(col, prefix)
		return " AND " + cond, args
	}
	if end, ok := prefixEnd(prefix); ok {
		return " AND " + col + " >= ? AND " + col + " < ?", []any{prefix, end}
	}
	return " AND " + col + " >= ?", []any{prefix}
}

func qualified(schema, name string) string { return schema + "." + name }

const tableColumns = "t.id, t.project_id, p.name, t.schema_name, t.name, t.kind, t.described, t.columns, t.partition_columns," +
	" t.comment, t.lifecycle, t.owner, t.label, t.view_text, t.created_at, t.updated_at"

func scanTable(row interface{ Scan(...any) error }) (*sluice.CatalogTable, error) {
	var t sluice.CatalogTable
	var kind, cols, parts string
	var created, updated int64
	if err := row.Scan(&t.ID, &t.ProjectID, &t.Project, &t.Schema, &t.Name, &kind, &t.Described, &cols, &parts,
		&t.Comment, &t.Lifecycle, &t.Owner, &t.Label, &t.ViewText, &created, &updated); err != nil {
		return nil, err
	}
	t.Kind, t.CreatedAt, t.UpdatedAt = sluice.TableKind(kind), fromMillis(created), fromMillis(updated)
	var err error
	if t.Columns, err = unmarshalColumns(cols); err != nil {
		return nil, fmt.Errorf("table %d: columns: %w", t.ID, err)
	}
	if t.PartitionColumns, err = unmarshalColumns(parts); err != nil {
		return nil, fmt.Errorf("table %d: partition columns: %w", t.ID, err)
	}
	return &t, nil
}

// FindTable returns a table or view.
func (c *catalogTx) FindTable(ctx context.Context, projectID int64, schema, name string) (*sluice.CatalogTable, error) {
	t, err := scanTable(c.queryRow(ctx, "SELECT "+tableColumns+" FROM catalog_tables t JOIN projects p ON p.id = t.project_id"+
		" WHERE t.project_id = ? AND t.schema_name = ? AND t.name = ?", projectID, schema, name))
	if err != nil {
		return nil, notFound(err, "Table %s does not exist.", qualified(schema, name))
	}
	return t, nil
}

// FindTables returns a page of a project's tables by schema and name. With Schema set, the page is one range
// of the index on (project, schema, name), or of (project, schema, kind, name) with Kind set too. After
// compares names only, so marker paging is within one schema, as the filter says.
func (c *catalogTx) FindTables(ctx context.Context, f sluice.TableFilter) ([]*sluice.CatalogTable, error) {
	where, args := " WHERE t.project_id = ?", []any{f.ProjectID}
	if f.Schema != "" {
		where += " AND t.schema_name = ?"
		args = append(args, f.Schema)
	}
	if f.Kind != "" {
		where += " AND t.kind = ?"
		args = append(args, string(f.Kind))
	}
	if f.After != "" {
		where += " AND t.name > ?"
		args = append(args, f.After)
	}
	if f.Prefix != "" {
		cond, cargs := namePrefix("t.name", f.Prefix)
		where += cond
		args = append(args, cargs...)
	}
	rows, err := c.query(ctx, "SELECT "+tableColumns+" FROM catalog_tables t JOIN projects p ON p.id = t.project_id"+where+
		" ORDER BY t.schema_name, t.name LIMIT ?", append(args, pageLimit(f.Limit))...)
	return collect(rows, err, scanTable)
}

// PutTable inserts t, or replaces the table of its project, schema and name (a table lineage discovered
// included), keeping its id and creation time.
//
// The writes of a CatalogTx insert from a SELECT of the rows they refer to, so that a missing project or
// package inserts nothing rather than failing a foreign key: on PostgreSQL a failed statement ends the
// transaction, and the core may go on after an ENOTFOUND or an ECONFLICT as it can on SQLite. (The foreign key
// still holds against a project deleted meanwhile.)
func (c *catalogTx) PutTable(ctx context.Context, t *sluice.CatalogTable) error {
	var created int64
	err := c.insertRow(ctx, `INSERT INTO catalog_tables (project_id, schema_name, name, kind, described, columns, partition_columns,
			comment, lifecycle, owner, label, view_text, created_at, updated_at)
		SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE id = ?
		ON CONFLICT (project_id, schema_name, name) DO UPDATE SET kind = excluded.kind, described = excluded.described,
			columns = excluded.columns, partition_columns = excluded.partition_columns, comment = excluded.comment,
			lifecycle = excluded.lifecycle, owner = excluded.owner, label = excluded.label, view_text = excluded.view_text,
			updated_at = excluded.updated_at
		RETURNING id, created_at`,
		[]any{t.Schema, t.Name, string(t.Kind), t.Described, marshalColumns(t.Columns), marshalColumns(t.PartitionColumns),
			t.Comment, t.Lifecycle, t.Owner, t.Label, t.ViewText, c.now, c.now, t.ProjectID},
		&t.ID, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows), isForeignKey(err):
		return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", t.ProjectID)
	case err != nil:
		return fmt.Errorf("put table %s: %w", qualified(t.Schema, t.Name), err)
	}
	t.CreatedAt, t.UpdatedAt = fromMillis(created), fromMillis(c.now)
	return nil
}

// DeleteTable removes a table or view; ENOTFOUND when there is none.
func (c *catalogTx) DeleteTable(ctx context.Context, projectID int64, schema, name string) error {
	res, err := c.exec(ctx, "DELETE FROM catalog_tables WHERE project_id = ? AND schema_name = ? AND name = ?", projectID, schema, name)
	return checkAffected(res, err, "Table %s does not exist.", qualified(schema, name))
}

const functionColumns = "f.id, f.project_id, p.name, f.schema_name, f.name, f.class, f.resources, f.owner, f.created_at"

func scanFunction(row interface{ Scan(...any) error }) (*sluice.Function, error) {
	var f sluice.Function
	var resources string
	var created int64
	if err := row.Scan(&f.ID, &f.ProjectID, &f.Project, &f.Schema, &f.Name, &f.Class, &resources, &f.Owner, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMillis(created)
	var err error
	if f.Resources, err = unmarshalStrings(resources); err != nil {
		return nil, fmt.Errorf("function %d: resources: %w", f.ID, err)
	}
	return &f, nil
}

// FindFunction returns a function.
func (c *catalogTx) FindFunction(ctx context.Context, projectID int64, schema, name string) (*sluice.Function, error) {
	f, err := scanFunction(c.queryRow(ctx, "SELECT "+functionColumns+" FROM catalog_functions f JOIN projects p ON p.id = f.project_id"+
		" WHERE f.project_id = ? AND f.schema_name = ? AND f.name = ?", projectID, schema, name))
	if err != nil {
		return nil, notFound(err, "Function %s does not exist.", qualified(schema, name))
	}
	return f, nil
}

// FindFunctions returns a page of a project's functions by schema and name.
func (c *catalogTx) FindFunctions(ctx context.Context, f sluice.FunctionFilter) ([]*sluice.Function, error) {
	where, args := " WHERE f.project_id = ?", []any{f.ProjectID}
	if f.Schema != "" {
		where += " AND f.schema_name = ?"
		args = append(args, f.Schema)
	}
	if f.After != "" {
		where += " AND f.name > ?"
		args = append(args, f.After)
	}
	if f.Prefix != "" {
		cond, cargs := namePrefix("f.name", f.Prefix)
		where += cond
		args = append(args, cargs...)
	}
	rows, err := c.query(ctx, "SELECT "+functionColumns+" FROM catalog_functions f JOIN projects p ON p.id = f.project_id"+where+
		" ORDER BY f.schema_name, f.name LIMIT ?", append(args, pageLimit(f.Limit))...)
	return collect(rows, err, scanFunction)
}

// CreateFunction inserts f. A taken name is found by ON CONFLICT rather than by the unique violation, which
// would end a PostgreSQL transaction the core may go on with.
func (c *catalogTx) CreateFunction(ctx context.Context, f *sluice.Function) error {
	err := c.insertRow(ctx, `INSERT INTO catalog_functions (project_id, schema_name, name, class, resources, owner, created_at)
		SELECT id, ?, ?, ?, ?, ?, ? FROM projects WHERE id = ?
		ON CONFLICT (project_id, schema_name, name) DO NOTHING RETURNING id`,
		[]any{f.Schema, f.Name, f.Class, marshalList(f.Resources), f.Owner, c.now, f.ProjectID}, &f.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := c.mustExist(ctx, fmt.Sprintf("Project %d does not exist.", f.ProjectID),
			"SELECT EXISTS (SELECT 1 FROM projects WHERE id = ?)", f.ProjectID); err != nil {
			return err
		}
		return sluice.Errorf(sluice.ECONFLICT, "Function %s already exists.", qualified(f.Schema, f.Name))
	case isForeignKey(err):
		return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", f.ProjectID)
	case err != nil:
		return fmt.Errorf("create function %s: %w", qualified(f.Schema, f.Name), err)
	}
	f.CreatedAt = fromMillis(c.now)
	return nil
}

// DeleteFunction removes a function; ENOTFOUND when there is none.
func (c *catalogTx) DeleteFunction(ctx context.Context, projectID int64, schema, name string) error {
	res, err := c.exec(ctx, "DELETE FROM catalog_functions WHERE project_id = ? AND schema_name = ? AND name = ?", projectID, schema, name)
	return checkAffected(res, err, "Function %s does not exist.", qualified(schema, name))
}

// FindResourcesNamed returns the project's resources called name, by group.
func (c *catalogTx) FindResourcesNamed(ctx context.Context, projectID int64, name string) ([]*sluice.Resource, error) {
	rows, err := c.query(ctx, "SELECT "+resourceColumns+" FROM resources WHERE project_id = ? AND name = ? ORDER BY group_name", projectID, name)
	return collect(rows, err, scanResource)
}

const packageColumns = "k.id, k.project_id, p.name, k.name, k.created_at"

func scanPackage(row interface{ Scan(...any) error }) (*sluice.Package, error) {
	var k sluice.Package
	var created int64
	if err := row.Scan(&k.ID, &k.ProjectID, &k.Project, &k.Name, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMillis(created)
	return &k, nil
}

// packageKey is the form of a package name that is unique in a project: package names ignore case.
func packageKey(name string) string { return strings.ToLower(name) }

// FindPackage returns a package, named in any case, with its objects (by type, schema and name) and its
// allow-list (by project name).
func (c *catalogTx) FindPackage(ctx context.Context, projectID int64, name string) (*sluice.Package, error) {
	k, err := scanPackage(c.queryRow(ctx, "SELECT "+packageColumns+" FROM packages k JOIN projects p ON p.id = k.project_id"+
		" WHERE k.project_id = ? AND k.name_key = ?", projectID, packageKey(name)))
	if err != nil {
		return nil, notFound(err, "Package %s does not exist.", name)
	}
	rows, err := c.query(ctx, "SELECT type, schema_name, name, actions FROM package_objects WHERE package_id = ? ORDER BY type, schema_name, name", k.ID)
	if k.Objects, err = collect(rows, err, scanPackageObject); err != nil {
		return nil, err
	}
	rows, err = c.query(ctx, "SELECT a.project_id, p.name, a.label FROM package_allows a JOIN projects p ON p.id = a.project_id"+
		" WHERE a.package_id = ? ORDER BY p.name", k.ID)
	if k.Allowed, err = collect(rows, err, scanPackageAllow); err != nil {
		return nil, err
	}
	return k, nil
}

func scanPackageObject(row interface{ Scan(...any) error }) (sluice.PackageObject, error) {
	var o sluice.PackageObject
	var typ, actions string
	if err := row.Scan(&typ, &o.Schema, &o.Name, &actions); err != nil {
		return o, err
	}
	o.Type = sluice.ObjectType(typ)
	var err error
	if o.Actions, err = unmarshalStrings(actions); err != nil {
		return o, fmt.Errorf("package object %s %s: actions: %w", typ, qualified(o.Schema, o.Name), err)
	}
	return o, nil
}

func scanPackageAllow(row interface{ Scan(...any) error }) (sluice.PackageAllow, error) {
	var a sluice.PackageAllow
	err := row.Scan(&a.ProjectID, &a.Project, &a.Label)
	return a, err
}

// FindPackages returns a project's packages by name regardless of case (the order of the unique index). The
// project's name is read once, not joined to each of up to 100,000 rows: per-row work is what a listing costs.
func (c *catalogTx) FindPackages(ctx context.Context, projectID int64) ([]*sluice.Package, error) {
	var project string
	err := c.queryRow(ctx, "SELECT name FROM projects WHERE id = ?", projectID).Scan(&project)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return []*sluice.Package{}, nil
	case err != nil:
		return nil, err
	}
	rows, err := c.query(ctx, "SELECT id, name, created_at FROM packages WHERE project_id = ? ORDER BY name_key", projectID)
	var slab []sluice.Package // packages are allocated 256 at a time: one allocation each was a fifth of the time
	return collect(rows, err, func(row interface{ Scan(...any) error }) (*sluice.Package, error) {
		if len(slab) == 0 {
			slab = make([]sluice.Package, 256)
		}
		k := &slab[0]
		slab = slab[1:]
		var created int64
		if err := row.Scan(&k.ID, &k.Name, &created); err != nil {
			return nil, err
		}
		k.ProjectID, k.Project, k.CreatedAt = projectID, project, fromMillis(created)
		return k, nil
	})
}

// CountPackages counts the packages created in a project.
func (c *catalogTx) CountPackages(ctx context.Context, projectID int64) (int, error) {
	var n int
	err := c.queryRow(ctx, "SELECT COUNT(*) FROM packages WHERE project_id = ?", projectID).Scan(&n)
	return n, err
}

// CreatePackage inserts p with its objects and allow-list.
func (c *catalogTx) CreatePackage(ctx context.Context, p *sluice.Package) error {
	err := c.insertRow(ctx, `INSERT INTO packages (project_id, name, name_key, created_at) SELECT id, ?, ?, ? FROM projects WHERE id = ?
		ON CONFLICT (project_id, name_key) DO NOTHING RETURNING id`, []any{p.Name, packageKey(p.Name), c.now, p.ProjectID}, &p.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := c.mustExist(ctx, fmt.Sprintf("Project %d does not exist.", p.ProjectID),
			"SELECT EXISTS (SELECT 1 FROM projects WHERE id = ?)", p.ProjectID); err != nil {
			return err
		}
		return sluice.Errorf(sluice.ECONFLICT, "Package %s already exists.", p.Name)
	case isForeignKey(err):
		return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", p.ProjectID)
	case err != nil:
		return fmt.Errorf("create package %s: %w", p.Name, err)
	}
	p.CreatedAt = fromMillis(c.now)
	if err := c.bumpListings(ctx, "SELECT CAST(? AS BIGINT) AS project_id", p.ProjectID); err != nil {
		return err
	}
	for _, o := range p.Objects {
		if err := c.AddPackageObject(ctx, p.ID, o); err != nil {
			return err
		}
	}
	for _, a := range p.Allowed {
		if err := c.PutPackageAllow(ctx, p.ID, a); err != nil {
			return err
		}
	}
	return nil
}

// DeletePackage removes a package; its objects, allow-list and installations go with it by cascade.
func (c *catalogTx) DeletePackage(ctx context.Context, id int64) error {
	// The package's project and every project it is installed into list one package fewer.
	if err := c.bumpListings(ctx, `SELECT project_id FROM packages WHERE id = ?
		UNION SELECT project_id FROM package_installs WHERE package_id = ?`, id, id); err != nil {
		return err
	}
	res, err := c.exec(ctx, "DELETE FROM packages WHERE id = ?", id)
	return checkAffected(res, err, "Package %d does not exist.", id)
}

// bumpListings moves on the package listing version of every project the query (SELECT project_id ...)
// selects: the core reuses a listing read at a version while it stays (sluice.CatalogTx.PackageListingVersion).
func (c *catalogTx) bumpListings(ctx context.Context, query string, args ...any) error {
	_, err := c.exec(ctx, `INSERT INTO package_listing_versions (project_id, version) SELECT project_id, 1 FROM (`+query+`) AS changed
		WHERE true ON CONFLICT (project_id) DO UPDATE SET version = package_listing_versions.version + 1`, args...)
	if err != nil {
		return fmt.Errorf("package listing version: %w", err)
	}
	return nil
}

// PackageListingVersion returns the version of a project's package listing (0 before its first change).
func (c *catalogTx) PackageListingVersion(ctx context.Context, projectID int64) (int64, error) {
	var v int64
	err := c.queryRow(ctx, "SELECT version FROM package_listing_versions WHERE project_id = ?", projectID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// AddPackageObject adds o to a package.
func (c *catalogTx) AddPackageObject(ctx context.Context, packageID int64, o sluice.PackageObject) error {
	res, err := c.exec(ctx, `INSERT INTO package_objects (package_id, type, schema_name, name, actions)
		SELECT id, ?, ?, ?, ? FROM packages WHERE id = ?
		ON CONFLICT (package_id, type, schema_name, name) DO NOTHING`, string(o.Type), o.Schema, o.Name, marshalList(o.Actions), packageID)
	added, err := changed(res, err)
	switch {
	case isForeignKey(err):
		return sluice.Errorf(sluice.ENOTFOUND, "Package %d does not exist.", packageID)
	case err != nil:
		return fmt.Errorf("add %s %s to package: %w", o.Type, qualified(o.Schema, o.Name), err)
	case !added:
		if err := c.mustExist(ctx, fmt.Sprintf("Package %d does not exist.", packageID),
			"SELECT EXISTS (SELECT 1 FROM packages WHERE id = ?)", packageID); err != nil {
			return err
		}
		return sluice.Errorf(sluice.ECONFLICT, "The package holds %s %s already.", o.Type, qualified(o.Schema, o.Name))
	}
	return nil
}

// RemovePackageObject removes an object from a package.
func (c *catalogTx) RemovePackageObject(ctx context.Context, packageID int64, typ sluice.ObjectType, schema, name string) (bool, error) {
	return changed(c.exec(ctx, "DELETE FROM package_objects WHERE package_id = ? AND type = ? AND schema_name = ? AND name = ?",
		packageID, string(typ), schema, name))
}

// RemoveObjectEverywhere removes an object from every package of its project. An object added as "*" stays.
// The rows that name the object (package_objects_object) are few, where the project may have 100,000 packages:
// each is checked for its package's project, rather than each package for the object.
func (c *catalogTx) RemoveObjectEverywhere(ctx context.Context, projectID int64, typ sluice.ObjectType, schema, name string) error {
	_, err := c.exec(ctx, `DELETE FROM package_objects WHERE type = ? AND schema_name = ? AND name = ?
		AND EXISTS (SELECT 1 FROM packages k WHERE k.id = package_objects.package_id AND k.project_id = ?)`, string(typ), schema, name, projectID)
	return err
}

// PutPackageAllow adds a project to a package's allow-list, or changes its label.
func (c *catalogTx) PutPackageAllow(ctx context.Context, packageID int64, a sluice.PackageAllow) error {
	res, err := c.exec(ctx, `INSERT INTO package_allows (package_id, project_id, label)
		SELECT k.id, p.id, ? FROM packages k, projects p WHERE k.id = ? AND p.id = ?
		ON CONFLICT (package_id, project_id) DO UPDATE SET label = excluded.label`, a.Label, packageID, a.ProjectID)
	put, err := changed(res, err)
	switch {
	case isForeignKey(err), err == nil && !put:
		return sluice.Errorf(sluice.ENOTFOUND, "Package %d or project %d does not exist.", packageID, a.ProjectID)
	case err != nil:
		return fmt.Errorf("allow project %d to install package %d: %w", a.ProjectID, packageID, err)
	}
	return nil
}

// DeletePackageAllow removes a project from a package's allow-list, and the package from that project.
func (c *catalogTx) DeletePackageAllow(ctx context.Context, packageID, projectID int64) (bool, error) {
	removed, err := changed(c.exec(ctx, "DELETE FROM package_allows WHERE package_id = ? AND project_id = ?", packageID, projectID))
	if err != nil {
		return false, err
	}
	if _, err := c.DeleteInstall(ctx, packageID, projectID); err != nil {
		return false, err
	}
	return removed, nil
}

// CreateInstall records the installation of a package into in.ProjectID. The source project is the package's,
// whatever in.SourceProjectID says.
func (c *catalogTx) CreateInstall(ctx context.Context, in *sluice.PackageInstall) error {
	res, err := c.exec(ctx, `INSERT INTO package_installs (package_id, project_id, source_project_id, installed_at)
		SELECT k.id, p.id, k.project_id, ? FROM packages k, projects p WHERE k.id = ? AND p.id = ?
		ON CONFLICT (package_id, project_id) DO NOTHING`, c.now, in.PackageID, in.ProjectID)
	added, err := changed(res, err)
	switch {
	case isForeignKey(err):
		return sluice.Errorf(sluice.ENOTFOUND, "Package %d or project %d does not exist.", in.PackageID, in.ProjectID)
	case err != nil:
		return fmt.Errorf("install package %d: %w", in.PackageID, err)
	case !added:
		if err := c.mustExist(ctx, fmt.Sprintf("Package %d or project %d does not exist.", in.PackageID, in.ProjectID),
			"SELECT EXISTS (SELECT 1 FROM packages WHERE id = ?) AND EXISTS (SELECT 1 FROM projects WHERE id = ?)", in.PackageID, in.ProjectID); err != nil {
			return err
		}
		return sluice.Errorf(sluice.ECONFLICT, "The package is installed already.")
	}
	in.Status, in.InstalledAt = sluice.InstallOK, fromMillis(c.now)
	return c.bumpListings(ctx, "SELECT CAST(? AS BIGINT) AS project_id", in.ProjectID)
}

// DeleteInstall removes an installation.
func (c *catalogTx) DeleteInstall(ctx context.Context, packageID, projectID int64) (bool, error) {
	removed, err := changed(c.exec(ctx, "DELETE FROM package_installs WHERE package_id = ? AND project_id = ?", packageID, projectID))
	if err != nil || !removed {
		return false, err
	}
	return true, c.bumpListings(ctx, "SELECT CAST(? AS BIGINT) AS project_id", projectID)
}

// FindInstalls returns the packages installed into a project, by source project name and package name.
func (c *catalogTx) FindInstalls(ctx context.Context, projectID int64) ([]*sluice.PackageInstall, error) {
	rows, err := c.query(ctx, `SELECT i.package_id, k.name, k.project_id, p.name, i.project_id, i.installed_at
		FROM package_installs i JOIN packages k ON k.id = i.package_id JOIN projects p ON p.id = k.project_id
		WHERE i.project_id = ? ORDER BY p.name, k.name_key`, projectID)
	return collect(rows, err, func(row interface{ Scan(...any) error }) (*sluice.PackageInstall, error) {
		in := sluice.PackageInstall{Status: sluice.InstallOK}
		var installed int64
		if err := row.Scan(&in.PackageID, &in.Package, &in.SourceProjectID, &in.SourceProject, &in.ProjectID, &installed); err != nil {
			return nil, err
		}
		in.InstalledAt = fromMillis(installed)
		return &in, nil
	})
}

// CountInstalls counts the projects a package is installed into.
func (c *catalogTx) CountInstalls(ctx context.Context, packageID int64) (int, error) {
	var n int
	err := c.queryRow(ctx, "SELECT COUNT(*) FROM package_installs WHERE package_id = ?", packageID).Scan(&n)
	return n, err
}

// FindGrants returns, by consumer and package, what each installation into consumerIDs of a package of sourceID
// grants on one object: the actions of the package's entry for the object and of its "*" entry of the type,
// merged, at the consumer's allow-list label. The consumers' installations from the source are a range of
// package_installs_project (at most 100 each); each then finds its entries and its allow-list label by primary
// key. The CROSS JOINs hold SQLite to that order: left to itself it starts from every package, of any project,
// that holds an object of that name.
func (c *catalogTx) FindGrants(ctx context.Context, consumerIDs []int64, sourceID int64, typ sluice.ObjectType, schema, name string) ([]sluice.ObjectGrant, error) {
	if len(consumerIDs) == 0 {
		return []sluice.ObjectGrant{}, nil
	}
	consumers, cargs := c.db.projectFilter("i.project_id", consumerIDs)
	args := append(append([]any{sourceID}, cargs...), string(typ), schema, name)
	rows, err := c.query(ctx, `SELECT i.package_id, i.project_id, o.actions, a.label
		FROM package_installs i CROSS JOIN package_objects o CROSS JOIN package_allows a
		WHERE i.source_project_id = ?`+consumers+`
			AND o.package_id = i.package_id AND o.type = ? AND o.schema_name = ? AND o.name IN (?, '*')
			AND a.package_id = i.package_id AND a.project_id = i.project_id
		ORDER BY i.project_id, i.package_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	grants := []sluice.ObjectGrant{}
	for rows.Next() {
		var g sluice.ObjectGrant
		var actions string
		if err := rows.Scan(&g.PackageID, &g.ConsumerProjectID, &actions, &g.Label); err != nil {
			return nil, err
		}
		if g.Actions, err = unmarshalStrings(actions); err != nil {
			return nil, fmt.Errorf("package %d: actions: %w", g.PackageID, err)
		}
		if n := len(grants); n > 0 && grants[n-1].PackageID == g.PackageID && grants[n-1].ConsumerProjectID == g.ConsumerProjectID {
			// The object by name and the package's "*" of its type: one installation, the union of both.
			for _, a := range g.Actions {
				if !slices.Contains(grants[n-1].Actions, a) {
					grants[n-1].Actions = append(grants[n-1].Actions, a)
				}
			}
			continue
		}
		grants = append(grants, g)
	}
	return grants, rows.Err()
}
