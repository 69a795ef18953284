package core

import (
	"context"
	"errors"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/mcsql"
)

// RunSQL runs a script of MaxCompute metadata statements (package mcsql) in one transaction. A script of
// only SHOW, DESCRIBE and SET flags runs in a read transaction and takes no lock.
func (s *Service) RunSQL(ctx context.Context, ref sluice.ProjectRef, script string) ([]*sluice.SQLResult, error) {
	stmts, err := mcsql.Parse(script)
	if err != nil {
		var pe *mcsql.Error
		if errors.As(err, &pe) {
			return nil, sluice.Errorf(sluice.EINVALID, "%s", pe.Error())
		}
		return nil, err
	}
	switch {
	case len(stmts) == 0:
		return nil, sluice.Errorf(sluice.EINVALID, "The script holds no statement.")
	case len(stmts) > maxScriptStatements:
		return nil, sluice.Errorf(sluice.EINVALID, "The script holds %d statements; a script runs at most %d.", len(stmts), maxScriptStatements)
	}
	var results []*sluice.SQLResult
	run := func(r *catalogRun) error {
		results = make([]*sluice.SQLResult, 0, len(stmts))
		for i, st := range stmts {
			res, err := r.statement(st)
			if err != nil {
				return statementError(i+1, st, err)
			}
			res.Statement, res.Line, res.Text = i+1, st.Start().Line, st.Source()
			results = append(results, res)
		}
		return nil
	}
	names := projectsNamed(stmts)
	if slices.ContainsFunc(stmts, changes) {
		err = s.update(ctx, ref, names, entry("RunSQL", "sql", "", nil, sqlSummary(stmts)), run)
	} else {
		err = s.read(ctx, ref, names, run)
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// statementError says which statement of a script failed, keeping the error's code.
func statementError(n int, st mcsql.Statement, err error) error {
	code := sluice.ErrorCode(err)
	if code == sluice.EINTERNAL || isNoAccess(err) {
		return err // the refusal of a project the caller may not see says no more when a statement meets it
	}
	return &sluice.Error{Code: code, Message: "Statement " + strconv.Itoa(n) + " (line " + strconv.Itoa(st.Start().Line) + ", column " + strconv.Itoa(st.Start().Column) + "): " + sluice.ErrorMessage(err), Err: err}
}

// changes reports whether a statement writes the catalogue.
func changes(st mcsql.Statement) bool {
	switch st.(type) {
	case *mcsql.Show, *mcsql.Describe, *mcsql.SetFlag:
		return false
	}
	return true
}

// projectsNamed lists the projects a script names besides its own, so the run can resolve them (and lock
// them) before it starts.
func projectsNamed(stmts []mcsql.Statement) []string {
	var out []string
	for _, st := range stmts {
		switch st := st.(type) {
		case *mcsql.CreateTable:
			out = append(out, st.Name.Project)
			if st.Like != nil {
				out = append(out, st.Like.Project)
			}
		case *mcsql.CreateView:
			out = append(out, st.Name.Project)
		case *mcsql.DropTable:
			out = append(out, st.Name.Project)
		case *mcsql.AlterTable:
			out = append(out, st.Name.Project)
		case *mcsql.CreateFunction:
			out = append(out, st.Name.Project)
		case *mcsql.DropFunction:
			out = append(out, st.Name.Project)
		case *mcsql.SetLabel:
			out = append(out, st.Table.Project)
		case *mcsql.Show:
			out = append(out, st.Project)
		case *mcsql.Describe:
			out = append(out, st.Name.Project)
		case *mcsql.AllowProject:
			out = append(out, st.Project)
		case *mcsql.DisallowProject:
			out = append(out, st.Project)
		case *mcsql.InstallPackage:
			out = append(out, st.SourceProject)
		}
	}
	return out
}

func ok() *sluice.SQLResult { return &sluice.SQLResult{Kind: sluice.ResultOK, Message: "OK"} }

// statement runs one statement.
func (r *catalogRun) statement(st mcsql.Statement) (*sluice.SQLResult, error) {
	var err error
	switch st := st.(type) {
	case *mcsql.CreateTable:
		err = r.createTable(st)
	case *mcsql.CreateView:
		err = r.createView(st)
	case *mcsql.DropTable:
		err = r.dropTable(st)
	case *mcsql.AlterTable:
		err = r.alterTable(st)
	case *mcsql.CreateFunction:
		err = r.createFunction(st)
	case *mcsql.DropFunction:
		err = r.dropFunction(st)
	case *mcsql.SetLabel:
		err = r.setLabel(st)
	case *mcsql.SetFlag:
		// A session flag: it changes how MaxCompute would run queries, which Sluice does not run.
	case *mcsql.Show:
		return r.show(st)
	case *mcsql.Describe:
		return r.describe(st)
	case *mcsql.CreatePackage:
		_, err = r.createPackage(st.Name)
	case *mcsql.DropPackage:
		err = r.dropPackage(st.Name)
	case *mcsql.AddToPackage:
		err = r.changePackageObject(st.Package, st.ObjectType, st.Object, func(pkg *sluice.Package, typ, schema, name string) error {
			return r.addObject(pkg, sluice.PackageObject{Type: sluice.ObjectType(typ), Schema: schema, Name: name, Actions: st.Privileges})
		})
	case *mcsql.RemoveFromPackage:
		err = r.changePackageObject(st.Package, st.ObjectType, st.Object, r.removeObject)
	case *mcsql.AllowProject:
		var pkg *sluice.Package
		if pkg, err = r.ownPackage(st.Package); err == nil {
			label := 0
			if st.Label != nil {
				label = *st.Label
			}
			err = r.allow(pkg, st.Project, label)
		}
	case *mcsql.DisallowProject:
		var pkg *sluice.Package
		if pkg, err = r.ownPackage(st.Package); err == nil {
			err = r.disallow(pkg, st.Project)
		}
	case *mcsql.InstallPackage:
		_, err = r.install(st.SourceProject, st.Package)
	case *mcsql.UninstallPackage:
		err = r.uninstall(st.SourceProject, st.Package)
	default:
		err = sluice.Errorf(sluice.EINVALID, "This statement is not supported.")
	}
	if err != nil {
		return nil, err
	}
	return ok(), nil
}

// changePackageObject finds home's package and calls change with an object of home: a package holds
// objects of its own project only.
func (r *catalogRun) changePackageObject(pkgName, typ string, o mcsql.Name, change func(pkg *sluice.Package, typ, schema, name string) error) error {
	if o.Project != "" && !strings.EqualFold(o.Project, r.home.Name) {
		return sluice.Errorf(sluice.EINVALID, "A package of project %s holds objects of that project only, not of %s.", r.home.Name, o.Project)
	}
	pkg, err := r.ownPackage(pkgName)
	if err != nil {
		return err
	}
	return change(pkg, typ, o.Schema, o.Name)
}

func columns(defs []mcsql.ColumnDef) []sluice.Column {
	out := make([]sluice.Column, 0, len(defs))
	for _, d := range defs {
		out = append(out, sluice.Column{Name: strings.ToLower(d.Name), Type: d.Type, Comment: d.Comment})
	}
	return out
}

// tableFor resolves a DDL statement's table name: its project (the caller needs Write there), schema and
// lower-cased name, checked.
func (r *catalogRun) tableFor(n mcsql.Name, access sluice.Access) (*sluice.Project, string, string, error) {
	p, err := r.project(n.Project)
	if err != nil {
		return nil, "", "", err
	}
	if err := r.need(p, access); err != nil {
		return nil, "", "", err
	}
	schema, name := objectKey(sluice.ObjectTable, n.Schema, n.Name)
	return p, schema, name, nil
}

// existing finds a table or view, nil when there is none.
func (r *catalogRun) existing(p *sluice.Project, schema, name string) (*sluice.CatalogTable, error) {
	t, err := r.tx.FindTable(r.ctx, p.ID, schema, name)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil
	}
	return t, err
}

func checkLifecycle(days int) error {
	if days < 1 || days > maxLifecycle {
		return sluice.Errorf(sluice.EINVALID, "The lifecycle %d is invalid: use 1 to %d days.", days, maxLifecycle)
	}
	return nil
}

// creating resolves the name of a table or view to create (what says which): its project, where the caller
// needs Write, schema and name, checked, and what holds the name now (nil when nothing does).
func (r *catalogRun) creating(n mcsql.Name, what string) (*sluice.Project, string, string, *sluice.CatalogTable, error) {
	p, schema, name, err := r.tableFor(n, sluice.Write)
	if err != nil {
		return nil, "", "", nil, err
	}
	if err := checkObjectName(what, name); err != nil {
		return nil, "", "", nil, err
	}
	old, err := r.existing(p, schema, name)
	return p, schema, name, old, err
}

func (r *catalogRun) createTable(st *mcsql.CreateTable) error {
	p, schema, name, old, err := r.creating(st.Name, "table")
	if err != nil {
		return err
	}
	if old != nil && old.Described {
		if st.IfNotExists {
			return nil
		}
		return sluice.Errorf(sluice.ECONFLICT, "Table %s.%s already exists.", p.Name, name)
	}
	t := &sluice.CatalogTable{ProjectID: p.ID, Project: p.Name, Schema: schema, Name: name, Kind: sluice.KindTable, Described: true, Owner: r.user.Name}
	if st.Like != nil {
		src, err := r.project(st.Like.Project)
		if err != nil {
			return err
		}
		like, v, err := r.table(src, st.Like.Schema, st.Like.Name, "describe")
		if err != nil {
			return err
		}
		if like, err = r.visibleTable(like, v); err != nil {
			return err
		}
		for _, c := range like.Columns {
			t.Columns = append(t.Columns, sluice.Column{Name: c.Name, Type: c.Type, Comment: c.Comment}) // labels start at 0
		}
		t.PartitionColumns = slices.Clone(like.PartitionColumns)
		t.Comment = like.Comment
	} else {
		t.Columns, t.PartitionColumns = columns(st.Columns), columns(st.Partitions)
		if len(t.Columns) == 0 {
			return sluice.Errorf(sluice.EINVALID, "Table %s needs at least one column.", name)
		}
	}
	if st.Comment != nil {
		t.Comment = *st.Comment
	}
	if st.Lifecycle != nil {
		if err := checkLifecycle(*st.Lifecycle); err != nil {
			return err
		}
		t.Lifecycle = *st.Lifecycle
	}
	if err := checkComment("table "+name, t.Comment); err != nil {
		return err
	}
	if err := checkColumns(name, t.Columns, t.PartitionColumns); err != nil {
		return err
	}
	if err := checkPartitionTypes(t.PartitionColumns); err != nil {
		return err
	}
	return r.tx.PutTable(r.ctx, t)
}

func (r *catalogRun) createView(st *mcsql.CreateView) error {
	p, schema, name, old, err := r.creating(st.Name, "view")
	if err != nil {
		return err
	}
	if old != nil && old.Described {
		switch {
		case old.Kind != sluice.KindView:
			return sluice.Errorf(sluice.ECONFLICT, "Table %s.%s already exists and is not a view.", p.Name, name)
		case st.IfNotExists:
			return nil
		case !st.OrReplace:
			return sluice.Errorf(sluice.ECONFLICT, "View %s.%s already exists.", p.Name, name)
		}
	}
	v := &sluice.CatalogTable{ProjectID: p.ID, Project: p.Name, Schema: schema, Name: name, Kind: sluice.KindView, Described: true,
		Owner: r.user.Name, Columns: columns(st.Columns), ViewText: st.Query}
	if st.Comment != nil {
		v.Comment = *st.Comment
	}
	if err := checkComment("view "+name, v.Comment); err != nil {
		return err
	}
	if err := checkColumns(name, v.Columns, nil); err != nil {
		return err
	}
	return r.tx.PutTable(r.ctx, v)
}

func kindWord(view bool) string {
	if view {
		return "view"
	}
	return "table"
}

// checkTableKind refuses TABLE statements on views and VIEW statements on tables.
func checkTableKind(t *sluice.CatalogTable, view bool) error {
	if (t.Kind == sluice.KindView) != view {
		return sluice.Errorf(sluice.EINVALID, "%s.%s is a %s, not a %s.", t.Project, t.Name, t.Kind, kindWord(view))
	}
	return nil
}

func (r *catalogRun) dropTable(st *mcsql.DropTable) error {
	p, schema, name, err := r.tableFor(st.Name, sluice.Write)
	if err != nil {
		return err
	}
	t, err := r.existing(p, schema, name)
	if err != nil {
		return err
	}
	if t == nil {
		if st.IfExists {
			return nil
		}
		return sluice.Errorf(sluice.ENOTFOUND, "%s %s.%s does not exist.", strings.ToUpper(kindWord(st.View)[:1])+kindWord(st.View)[1:], p.Name, name)
	}
	if err := checkTableKind(t, st.View); err != nil {
		return err
	}
	if err := r.tx.DeleteTable(r.ctx, p.ID, schema, name); err != nil {
		return err
	}
	return r.tx.RemoveObjectEverywhere(r.ctx, p.ID, sluice.ObjectTable, schema, name)
}

// column finds a column by (lower-cased) name among cols; -1 when absent.
func column(cols []sluice.Column, name string) int {
	return slices.IndexFunc(cols, func(c sluice.Column) bool { return c.Name == strings.ToLower(name) })
}

// changing finds the table or view a statement changes, in a project where the caller has access.
func (r *catalogRun) changing(n mcsql.Name, access sluice.Access) (*sluice.Project, *sluice.CatalogTable, error) {
	p, schema, name, err := r.tableFor(n, access)
	if err != nil {
		return nil, nil, err
	}
	t, err := r.existing(p, schema, name)
	if err == nil && t == nil {
		err = sluice.Errorf(sluice.ENOTFOUND, "Table %s.%s does not exist.", p.Name, name)
	}
	return p, t, err
}

func (r *catalogRun) alterTable(st *mcsql.AlterTable) error {
	p, t, err := r.changing(st.Name, sluice.Write)
	if err != nil {
		return err
	}
	name := t.Name
	if st.View && t.Kind != sluice.KindView {
		return checkTableKind(t, true)
	}
	view := t.Kind == sluice.KindView
	switch {
	case st.AddColumns != nil:
		if view {
			return sluice.Errorf(sluice.EINVALID, "%s.%s is a view: its columns come from its query.", p.Name, name)
		}
		for _, c := range columns(st.AddColumns) {
			if st.IfNotExists && r.findColumn(t, c.Name) != nil {
				continue // ADD COLUMNS IF NOT EXISTS skips the columns the table has
			}
			t.Columns = append(t.Columns, c)
		}
		t.Described = true
	case st.DropColumns != nil:
		if view {
			return sluice.Errorf(sluice.EINVALID, "%s.%s is a view: its columns come from its query.", p.Name, name)
		}
		for _, c := range st.DropColumns {
			i := column(t.Columns, c)
			if i < 0 {
				if column(t.PartitionColumns, c) >= 0 {
					return sluice.Errorf(sluice.EINVALID, "Column %s of table %s is a partition column and cannot be dropped.", c, name)
				}
				return sluice.Errorf(sluice.ENOTFOUND, "Column %s does not exist in table %s.", c, name)
			}
			t.Columns = slices.Delete(t.Columns, i, i+1)
		}
		if len(t.Columns) == 0 {
			return sluice.Errorf(sluice.EINVALID, "Table %s must keep at least one column.", name)
		}
	case st.Comment != nil:
		t.Comment = *st.Comment
	case st.Lifecycle != nil:
		if view {
			return sluice.Errorf(sluice.EINVALID, "%s.%s is a view: views have no lifecycle.", p.Name, name)
		}
		if err := checkLifecycle(*st.Lifecycle); err != nil {
			return err
		}
		t.Lifecycle = *st.Lifecycle
	case st.RenameTo != nil:
		return r.renameTable(p, t, *st.RenameTo)
	case st.ColumnComment != nil:
		c := r.findColumn(t, st.ColumnComment.Name)
		if c == nil {
			return sluice.Errorf(sluice.ENOTFOUND, "Column %s does not exist in table %s.", st.ColumnComment.Name, name)
		}
		c.Comment = st.ColumnComment.Comment
	case st.RenameColumn != nil:
		c := r.findColumn(t, st.RenameColumn[0])
		if c == nil {
			return sluice.Errorf(sluice.ENOTFOUND, "Column %s does not exist in table %s.", st.RenameColumn[0], name)
		}
		c.Name = strings.ToLower(st.RenameColumn[1])
	default:
		return sluice.Errorf(sluice.EINVALID, "This ALTER statement is not supported.")
	}
	if err := checkComment("table "+name, t.Comment); err != nil {
		return err
	}
	if err := checkColumns(name, t.Columns, t.PartitionColumns); err != nil {
		return err
	}
	return r.tx.PutTable(r.ctx, t)
}

// findColumn returns a pointer into t's columns or partition columns.
func (r *catalogRun) findColumn(t *sluice.CatalogTable, name string) *sluice.Column {
	if i := column(t.Columns, name); i >= 0 {
		return &t.Columns[i]
	}
	if i := column(t.PartitionColumns, name); i >= 0 {
		return &t.PartitionColumns[i]
	}
	return nil
}

// renameTable moves a table to a new name in its project. Packages held it by its old name: it leaves
// them, as it would had it been dropped.
func (r *catalogRun) renameTable(p *sluice.Project, t *sluice.CatalogTable, to mcsql.Name) error {
	if to.Project != "" && !strings.EqualFold(to.Project, p.Name) {
		return sluice.Errorf(sluice.EINVALID, "A table cannot be renamed into another project.")
	}
	schema, name := objectKey(sluice.ObjectTable, to.Schema, to.Name)
	if to.Schema == "" {
		schema = t.Schema
	}
	if err := checkObjectName("table", name); err != nil {
		return err
	}
	taken, err := r.existing(p, schema, name)
	if err != nil {
		return err
	}
	if taken != nil {
		return sluice.Errorf(sluice.ECONFLICT, "Table %s.%s already exists.", p.Name, name)
	}
	if err := r.tx.DeleteTable(r.ctx, p.ID, t.Schema, t.Name); err != nil {
		return err
	}
	if err := r.tx.RemoveObjectEverywhere(r.ctx, p.ID, sluice.ObjectTable, t.Schema, t.Name); err != nil {
		return err
	}
	moved := *t
	moved.ID, moved.Schema, moved.Name = 0, schema, name
	return r.tx.PutTable(r.ctx, &moved)
}

func (r *catalogRun) createFunction(st *mcsql.CreateFunction) error {
	p, err := r.project(st.Name.Project)
	if err != nil {
		return err
	}
	if err := r.need(p, sluice.Write); err != nil {
		return err
	}
	schema, name := objectKey(sluice.ObjectFunction, st.Name.Schema, st.Name.Name)
	if err := checkObjectName("function", name); err != nil {
		return err
	}
	if strings.TrimSpace(st.Class) == "" {
		return sluice.Errorf(sluice.EINVALID, "Function %s needs a class: CREATE FUNCTION %s AS 'com.example.Class' USING 'lib.jar'.", name, name)
	}
	for _, res := range st.Resources {
		rs, err := r.tx.FindResourcesNamed(r.ctx, p.ID, res)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return sluice.Errorf(sluice.ENOTFOUND, "Resource %s does not exist in project %s.", res, p.Name)
		}
	}
	f := &sluice.Function{ProjectID: p.ID, Project: p.Name, Schema: schema, Name: name, Class: strings.TrimSpace(st.Class),
		Resources: slices.Clone(st.Resources), Owner: r.user.Name}
	if err := r.tx.CreateFunction(r.ctx, f); err != nil {
		if sluice.ErrorCode(err) == sluice.ECONFLICT {
			return sluice.Errorf(sluice.ECONFLICT, "Function %s.%s already exists.", p.Name, name)
		}
		return err
	}
	return nil
}

func (r *catalogRun) dropFunction(st *mcsql.DropFunction) error {
	p, err := r.project(st.Name.Project)
	if err != nil {
		return err
	}
	if err := r.need(p, sluice.Write); err != nil {
		return err
	}
	schema, name := objectKey(sluice.ObjectFunction, st.Name.Schema, st.Name.Name)
	if _, err := r.tx.FindFunction(r.ctx, p.ID, schema, name); sluice.ErrorCode(err) == sluice.ENOTFOUND {
		if st.IfExists {
			return nil
		}
		return sluice.Errorf(sluice.ENOTFOUND, "Function %s.%s does not exist.", p.Name, name)
	} else if err != nil {
		return err
	}
	if err := r.tx.DeleteFunction(r.ctx, p.ID, schema, name); err != nil {
		return err
	}
	return r.tx.RemoveObjectEverywhere(r.ctx, p.ID, sluice.ObjectFunction, schema, name)
}

// setLabel labels a table, or some of its columns. Labels are a security setting: Manage.
func (r *catalogRun) setLabel(st *mcsql.SetLabel) error {
	if err := checkLabel(st.Label); err != nil {
		return err
	}
	_, t, err := r.changing(st.Table, sluice.Manage)
	if err != nil {
		return err
	}
	name := t.Name
	if len(st.Columns) == 0 {
		t.Label = st.Label
		return r.tx.PutTable(r.ctx, t)
	}
	for _, c := range st.Columns {
		i := column(t.Columns, c)
		if i < 0 {
			if column(t.PartitionColumns, c) >= 0 {
				return sluice.Errorf(sluice.EINVALID, "Column %s of table %s is a partition column: partition columns carry no label.", c, name)
			}
			return sluice.Errorf(sluice.ENOTFOUND, "Column %s does not exist in table %s.", c, name)
		}
		t.Columns[i].Label = st.Label
	}
	return r.tx.PutTable(r.ctx, t)
}

// likeMatcher turns a SHOW ... LIKE pattern (* and % match any run of characters, _ one) into a matcher,
// case-insensitive, and the literal prefix the store can narrow by.
func likeMatcher(pattern string) (func(string) bool, string) {
	if pattern == "" {
		return func(string) bool { return true }, ""
	}
	p := strings.ToLower(pattern)
	var glob strings.Builder
	prefix, literal := "", true
	for _, r := range p {
		switch r {
		case '*', '%':
			glob.WriteByte('*')
			literal = false
		case '_':
			glob.WriteByte('?')
			literal = false
		case '[', ']', '\\', '?':
			glob.WriteByte('\\')
			glob.WriteRune(r)
			if literal {
				prefix += string(r)
			}
		default:
			glob.WriteRune(r)
			if literal {
				prefix += string(r)
			}
		}
	}
	g := glob.String()
	return func(s string) bool {
		ok, _ := path.Match(g, strings.ToLower(s))
		return ok
	}, prefix
}

func (r *catalogRun) show(st *mcsql.Show) (*sluice.SQLResult, error) {
	p, err := r.project(st.Project)
	if err != nil {
		return nil, err
	}
	if err := r.need(p, sluice.Read); err != nil {
		return nil, err
	}
	match, prefix := likeMatcher(st.Like)
	switch st.What {
	case "tables", "views":
		f := sluice.TableFilter{ProjectID: p.ID, Prefix: prefix}
		if st.What == "views" {
			f.Kind = sluice.KindView
		}
		ts, err := r.tx.FindTables(r.ctx, f)
		if err != nil {
			return nil, err
		}
		ts = slices.DeleteFunc(ts, func(t *sluice.CatalogTable) bool { return !match(t.Name) })
		return &sluice.SQLResult{Kind: sluice.ResultTables, Tables: ts}, nil
	case "functions":
		fs, err := r.tx.FindFunctions(r.ctx, sluice.FunctionFilter{ProjectID: p.ID, Prefix: prefix})
		if err != nil {
			return nil, err
		}
		fs = slices.DeleteFunc(fs, func(f *sluice.Function) bool { return !match(f.Name) })
		return &sluice.SQLResult{Kind: sluice.ResultFunctions, Functions: fs}, nil
	case "resources":
		l, err := r.s.resourceListing(r.ctx, p.ID)
		if err != nil {
			return nil, err
		}
		var rs []*sluice.Resource
		for _, res := range l.Resources {
			if match(res.Name) {
				rs = append(rs, res)
			}
		}
		for _, g := range l.Groups {
			for _, res := range g.Resources {
				if match(res.Name) {
					rs = append(rs, res)
				}
			}
		}
		slices.SortStableFunc(rs, func(a, b *sluice.Resource) int { return strings.Compare(a.Name, b.Name) })
		return &sluice.SQLResult{Kind: sluice.ResultResources, Resources: rs}, nil
	case "packages":
		home := r.home
		r.home = p
		l, err := r.showPackages()
		r.home = home
		if err != nil {
			return nil, err
		}
		return &sluice.SQLResult{Kind: sluice.ResultPackages, Packages: l}, nil
	}
	return nil, sluice.Errorf(sluice.EINVALID, "SHOW %s is not supported.", strings.ToUpper(st.What))
}

func (r *catalogRun) describe(st *mcsql.Describe) (*sluice.SQLResult, error) {
	if st.What == "package" {
		pkg, err := r.describePackage(st.Name.Project, st.Name.Name)
		if err != nil {
			return nil, err
		}
		return &sluice.SQLResult{Kind: sluice.ResultPackage, Package: pkg}, nil
	}
	n := st.Name
	p, err := r.project(n.Project)
	if err != nil {
		return nil, err
	}
	switch st.What {
	case "table":
		t, err := r.shownTable(p, n.Schema, n.Name)
		if err != nil {
			return nil, err
		}
		return &sluice.SQLResult{Kind: sluice.ResultTable, Table: t}, nil
	case "function":
		schema, name := objectKey(sluice.ObjectFunction, n.Schema, n.Name)
		if _, err := r.objectAccess(p, sluice.ObjectFunction, schema, name, "read"); err != nil {
			return nil, err
		}
		f, err := r.tx.FindFunction(r.ctx, p.ID, schema, name)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			return nil, sluice.Errorf(sluice.ENOTFOUND, "Function %s.%s does not exist.", p.Name, name)
		}
		if err != nil {
			return nil, err
		}
		return &sluice.SQLResult{Kind: sluice.ResultFunction, Function: f}, nil
	case "resource":
		schema, name := objectKey(sluice.ObjectResource, n.Schema, n.Name)
		if _, err := r.objectAccess(p, sluice.ObjectResource, schema, name, "read"); err != nil {
			return nil, err
		}
		rs, err := r.tx.FindResourcesNamed(r.ctx, p.ID, name)
		if err != nil {
			return nil, err
		}
		if len(rs) == 0 {
			return nil, sluice.Errorf(sluice.ENOTFOUND, "Resource %s does not exist in project %s.", name, p.Name)
		}
		return &sluice.SQLResult{Kind: sluice.ResultResource, Resource: rs[0]}, nil
	}
	return nil, sluice.Errorf(sluice.EINVALID, "DESCRIBE %s is not supported.", strings.ToUpper(st.What))
}

// sqlSummary is an audit entry's detail for a changing script: its statements' first lines.
func sqlSummary(stmts []mcsql.Statement) string {
	lines := make([]string, 0, len(stmts))
	for _, st := range stmts {
		line, _, _ := strings.Cut(strings.TrimSpace(st.Source()), "\n")
		lines = append(lines, line)
	}
	return strings.Join(lines, "; ")
}
