package core

import (
	"context"
	"slices"
	"strings"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/lineage"
)

var _ sluice.LineageService = (*Service)(nil)

// versionLineage is the lineage of committing f, a file of project, as it stands: the version's outputs are
// the tables its node's manual outputs name (RefTable) and, when AutoParsing is on and the file type is SQL,
// the tables its script reads and writes, unqualified names resolved against project, and the column lineage
// of its script, the tables' columns named after schemas (columnSchemas). Unparseable statements are
// recorded, never refused.
func (s *Service) versionLineage(f *sluice.File, project string, schemas lineage.Schemas) *sluice.VersionLineage {
	l := &sluice.VersionLineage{FileID: f.ID, Inputs: []string{}, Outputs: []string{}, Errors: []sluice.LineageError{}}
	for _, out := range f.Schedule.Outputs {
		if out.RefTable == "" || out.ParseType == "AUTO" {
			continue
		}
		if ref, ok := tableOf(out.RefTable, project); ok {
			l.Outputs = append(l.Outputs, ref.Guid())
		}
	}
	ft, _ := sluice.FileTypeByCode(f.Type)
	if !f.AutoParsing || ft.SQL == "" {
		return l
	}
	res := lineage.ExtractColumns(f.Content, lineage.Dialect(ft.SQL), schemas)
	l.Parsed, l.Dialect = true, ft.SQL
	for _, name := range res.Inputs {
		if ref, ok := sluice.ResolveTableName(name, project); ok {
			l.Inputs = append(l.Inputs, ref.Guid())
		}
	}
	for _, name := range res.Outputs {
		if ref, ok := sluice.ResolveTableName(name, project); ok {
			l.Outputs = append(l.Outputs, ref.Guid())
		}
	}
	for _, e := range res.Errors {
		l.Errors = append(l.Errors, sluice.LineageError{Statement: e.Index, Line: e.Line, Column: e.Column, Reason: e.Reason, Partial: e.Partial})
	}
	for _, c := range res.Columns {
		if strings.HasSuffix(c.Target, ".*") {
			// An unknown schema's columns, expanded as a whole (T.* from S.*): there is no column to key it by.
			continue
		}
		l.Columns = append(l.Columns, columnEdges(c.Target, c.Sources, c.Kind, project)...)
	}
	return l
}

// columnSchemas returns the columns, in order, of the described catalogue tables a SQL file of project
// reads and writes, as the caller may see them (a table shared through a package shows the columns at or
// below its label), keyed as lineage writes table names. Column lineage maps an INSERT's values to these
// names by position; a table without a schema here gets the names of its query's select list, marked
// assumed. It reads before the commit's transaction, which holds the store's writer, and costs the commit
// nothing when it fails: the answer is only less precise.
func (s *Service) columnSchemas(ctx context.Context, project *sluice.Project, f *sluice.File) lineage.Schemas {
	ft, _ := sluice.FileTypeByCode(f.Type)
	if !f.AutoParsing || ft.SQL == "" {
		return nil
	}
	res := lineage.Extract(f.Content, lineage.Dialect(ft.SQL))
	refs := map[string]sluice.TableRef{}
	projects := map[string]bool{}
	for _, name := range slices.Concat(res.Inputs, res.Outputs) {
		ref, ok := sluice.ResolveTableName(name, project.Name)
		if !ok {
			continue
		}
		if _, known := projects[ref.Project]; !known {
			_, err := s.findProjectNamed(ctx, ref.Project)
			projects[ref.Project] = err == nil
		}
		if projects[ref.Project] {
			refs[name] = ref
		}
	}
	if len(refs) == 0 {
		return nil
	}
	var names []string
	for p, ok := range projects {
		if ok {
			names = append(names, p)
		}
	}
	schemas := lineage.Schemas{}
	err := s.read(ctx, sluice.ProjectByID(project.ID), names, func(r *catalogRun) error {
		for name, ref := range refs {
			p, err := r.project(ref.Project)
			if err != nil {
				continue
			}
			t, v, err := r.table(p, ref.Schema, ref.Name, "describe")
			if err != nil || !t.Described {
				continue
			}
			if t, err = r.visibleTable(t, v); err != nil {
				continue
			}
			cols := make([]string, 0, len(t.Columns)+len(t.PartitionColumns))
			for _, c := range slices.Concat(t.Columns, t.PartitionColumns) {
				cols = append(cols, c.Name)
			}
			schemas[name] = cols
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return schemas
}

// columnEdges turns one column-lineage entry as the extractor reports it (TABLE.COLUMN names, the table
// written as in the table lineage's inputs and outputs) into column guid edges: the table resolved against
// project as table guids are (sluice.ResolveTableName), the column lower-cased. A target without sources is
// one edge with Source "" (a constant). A name that does not resolve is dropped: the table lineage reports
// nothing for it either.
func columnEdges(target string, sources []string, kind, project string) []sluice.ColumnEdge {
	t, ok := columnGuid(target, project)
	if !ok {
		return nil
	}
	if len(sources) == 0 {
		return []sluice.ColumnEdge{{Target: t, Kind: kind}}
	}
	out := make([]sluice.ColumnEdge, 0, len(sources))
	for _, src := range sources {
		if g, ok := columnGuid(src, project); ok {
			out = append(out, sluice.ColumnEdge{Target: t, Source: g, Kind: kind})
		}
	}
	return out
}

// columnGuid resolves TABLE.COLUMN against project: odps.<project>.<table>.<column>.
func columnGuid(name, project string) (string, bool) {
	name = strings.TrimSpace(name)
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return "", false
	}
	ref, ok := sluice.ResolveTableName(name[:i], project)
	if !ok {
		return "", false
	}
	return sluice.ColumnRef{Table: ref, Column: strings.ToLower(name[i+1:])}.Guid(), true
}

// tableOf reads a RefTableName: a guid, or a table name resolved against project.
func tableOf(name, project string) (sluice.TableRef, bool) {
	if strings.HasPrefix(strings.ToLower(name), sluice.TableGuidPrefix) {
		ref, err := sluice.ParseTableGuid(name)
		return ref, err == nil
	}
	return sluice.ResolveTableName(strings.TrimSpace(name), project)
}

// readable returns the ids of the projects the caller may read: those it is a member of (every role reads).
func (s *Service) readable(ctx context.Context) ([]int64, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	ps, _, err := s.store.FindProjects(ctx, sluice.ProjectFilter{MemberID: &u.ID, NoTotal: true})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// table finds a table in the catalogue of a project the caller may read, and returns those projects' ids:
// else ENOTFOUND when the caller may read the project the guid names, and noAccess when it may not,
// whether or not a catalogue it may not read holds the table.
func (s *Service) table(ctx context.Context, t sluice.TableRef) (*sluice.Table, []int64, error) {
	ids, err := s.readable(ctx)
	if err != nil {
		return nil, nil, err
	}
	tab, err := s.catalogued(ctx, t, ids)
	if err != nil {
		return nil, nil, err
	}
	return tab, ids, nil
}

// catalogued finds a table in the catalogue of one of the projects ids (those the caller may read), with the
// errors of table.
func (s *Service) catalogued(ctx context.Context, t sluice.TableRef, ids []int64) (*sluice.Table, error) {
	cats, err := s.store.FindTableCatalogues(ctx, t.Guid())
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if slices.Contains(ids, c.ProjectID) {
			return c, nil
		}
	}
	if _, err := s.Authorize(ctx, sluice.ProjectByName(t.Project), sluice.Read); err != nil {
		return nil, err
	}
	return nil, sluice.Errorf(sluice.ENOTFOUND, "Table %s does not exist.", t.Guid())
}

// FindTable returns a catalogued table.
func (s *Service) FindTable(ctx context.Context, t sluice.TableRef) (*sluice.Table, error) {
	tab, _, err := s.table(ctx, t)
	return tab, err
}

// FindProducingNodes returns the DEV nodes, in projects the caller may read, whose committed version writes t.
func (s *Service) FindProducingNodes(ctx context.Context, t sluice.TableRef) ([]*sluice.Node, error) {
	_, ids, err := s.table(ctx, t)
	if err != nil {
		return nil, err
	}
	return s.store.FindProducingNodes(ctx, t.Guid(), ids)
}

func checkDirection(d sluice.LineageDirection) error {
	if d != sluice.Upstream && d != sluice.Downstream {
		return sluice.Errorf(sluice.EINVALID, "The direction %q is invalid: use up or down.", d)
	}
	return nil
}

// FindTableLinks returns one page of t's neighbours in q.Direction.
func (s *Service) FindTableLinks(ctx context.Context, t sluice.TableRef, q sluice.LineageQuery) ([]*sluice.TableLink, bool, error) {
	if err := checkDirection(q.Direction); err != nil {
		return nil, false, err
	}
	_, ids, err := s.table(ctx, t)
	if err != nil {
		return nil, false, err
	}
	q.Guid, q.ProjectIDs = t.Guid(), ids
	return s.store.FindTableLinks(ctx, q)
}

func (s *Service) nodeNeighbours(ctx context.Context, id int64, env sluice.Env, dir sluice.LineageDirection) ([]*sluice.Node, error) {
	if _, err := s.FindNode(ctx, id, env); err != nil {
		return nil, err
	}
	ids, err := s.readable(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.FindNodeNeighbours(ctx, id, env, dir, ids)
}

// FindNodeParents returns the nodes of env whose current versions write a table node id's current version reads.
func (s *Service) FindNodeParents(ctx context.Context, id int64, env sluice.Env) ([]*sluice.Node, error) {
	return s.nodeNeighbours(ctx, id, env, sluice.Upstream)
}

// FindNodeChildren returns the nodes of env whose current versions read a table node id's current version writes.
func (s *Service) FindNodeChildren(ctx context.Context, id int64, env sluice.Env) ([]*sluice.Node, error) {
	return s.nodeNeighbours(ctx, id, env, sluice.Downstream)
}

// FindLineageGraph returns the multi-hop graph around a table, through the caller's readable projects only.
func (s *Service) FindLineageGraph(ctx context.Context, q sluice.GraphQuery) (*sluice.LineageGraph, error) {
	var err error
	if q.Depth, q.Limit, err = graphBounds(q.Direction, q.Depth, q.Limit); err != nil {
		return nil, err
	}
	ref, err := sluice.ParseTableGuid(q.Guid)
	if err != nil {
		return nil, err
	}
	_, ids, err := s.table(ctx, ref)
	if err != nil {
		return nil, err
	}
	q.Guid, q.ProjectIDs = ref.Guid(), ids
	return s.store.FindLineageGraph(ctx, q)
}

// FindVersionLineage returns the lineage recorded with one committed version of a file.
func (s *Service) FindVersionLineage(ctx context.Context, ref sluice.ProjectRef, fileID int64, version int) (*sluice.VersionLineage, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindVersionLineage(ctx, p.ID, fileID, version)
}

// FindColumnLineage returns one page of c's column lineage through the nodes of projects the caller reads. The
// column's table must be catalogued in one of them, as a table must for table lineage (ENOTFOUND when no
// project catalogues it, EFORBIDDEN when only projects the caller does not read do). A column of a catalogued
// table that no current version names has no lineage: an empty page, not an error, since a table known only
// through lineage has no column list to check the name against.
func (s *Service) FindColumnLineage(ctx context.Context, c sluice.ColumnRef, q sluice.ColumnQuery) ([]*sluice.ColumnLink, int64, error) {
	if err := checkDirection(q.Direction); err != nil {
		return nil, 0, err
	}
	if q.PageNum == 0 {
		q.PageNum = 1
	}
	if q.PageSize == 0 {
		q.PageSize = 10
	}
	if q.PageNum < 1 || q.PageSize < 1 || q.PageSize > 100 {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The page %d of %d is invalid: use a page from 1 and 1 to 100 a page.", q.PageNum, q.PageSize)
	}
	_, ids, err := s.table(ctx, c.Table)
	if err != nil {
		return nil, 0, err
	}
	q.Guid, q.ProjectIDs = c.Guid(), ids
	return s.store.FindColumnLinks(ctx, q)
}

// CountColumnRelations counts each column's neighbours through the nodes of projects the caller reads. It
// does not look the table up: its callers have (GetMetaTableColumn finds it in the catalogue, which a package
// installed into a caller's project may grant), and the counts only reflect nodes the caller may read anyway.
func (s *Service) CountColumnRelations(ctx context.Context, t sluice.TableRef) (map[string]int64, error) {
	ids, err := s.readable(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.CountColumnRelations(ctx, t.Guid(), ids)
}

// relationProject is the project a manual relation belongs to: dest's, or src's when the caller may not see
// dest's (it is not a member, or there is no such project: which, the caller is not told). The caller needs
// Write on it.
func (s *Service) relationProject(ctx context.Context, src, dest sluice.TableRef) (*sluice.Project, error) {
	p, err := s.Authorize(ctx, sluice.ProjectByName(dest.Project), sluice.Write)
	if isNoAccess(err) && src.Project != dest.Project {
		if sp, serr := s.Authorize(ctx, sluice.ProjectByName(src.Project), sluice.Write); serr == nil {
			return sp, nil
		}
	}
	return p, err
}

// CreateLineageRelation registers the manual edge src -> dest.
func (s *Service) CreateLineageRelation(ctx context.Context, src, dest sluice.TableRef, typ, guid string) (*sluice.LineageRelation, error) {
	if src.Guid() == dest.Guid() {
		return nil, sluice.Errorf(sluice.EINVALID, "A lineage relation needs two different tables.")
	}
	if len(guid) > 128 || len(typ) > 64 {
		return nil, sluice.Errorf(sluice.EINVALID, "The relationship guid or type is too long.")
	}
	p, err := s.relationProject(ctx, src, dest)
	if err != nil {
		return nil, err
	}
	u, _ := caller(ctx)
	r := &sluice.LineageRelation{Guid: guid, ProjectID: p.ID, Src: src.Guid(), Dest: dest.Guid(), Type: typ, CreatedBy: userID(u)}
	e := entry("CreateLineageRelation", "lineage_relation", r.Src+" -> "+r.Dest, guid, typ)
	e.Fill = func(e *sluice.AuditEntry) { e.ObjectID = r.Guid }
	if err := s.store.CreateLineageRelation(audited(ctx, p, e), r); err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteLineageRelation deletes the relations src -> dest (only the one with guid when guid is set) in
// projects the caller may write. A relation belongs to src's or dest's project, so a caller who may write
// neither is refused before any is looked at.
func (s *Service) DeleteLineageRelation(ctx context.Context, src, dest sluice.TableRef, guid string) (bool, error) {
	if _, err := s.relationProject(ctx, src, dest); err != nil {
		return false, err
	}
	rs, err := s.store.FindLineageRelations(ctx, src.Guid(), dest.Guid())
	if err != nil {
		return false, err
	}
	// Every relation is authorized before any is deleted, so a refusal changes nothing; each project once.
	var doomed []*sluice.LineageRelation
	allowed := map[int64]*sluice.Project{}
	for _, r := range rs {
		if guid != "" && r.Guid != guid {
			continue
		}
		if allowed[r.ProjectID] == nil {
			p, err := s.Authorize(ctx, sluice.ProjectByID(r.ProjectID), sluice.Write)
			if isNoAccess(err) {
				continue // a relation of a project the caller may not see is not there for it
			}
			if err != nil {
				return false, err
			}
			allowed[r.ProjectID] = p
		}
		doomed = append(doomed, r)
	}
	for _, r := range doomed {
		// Each relation is deleted in a transaction of its own, and so records an entry of its own.
		actx := audited(ctx, allowed[r.ProjectID], entry("DeleteLineageRelation", "lineage_relation", r.Src+" -> "+r.Dest, r.Guid, ""))
		if err := s.store.DeleteLineageRelation(actx, r.Guid); err != nil && sluice.ErrorCode(err) != sluice.ENOTFOUND {
			return false, err
		}
	}
	return len(doomed) > 0, nil
}

// withLineage returns s with the AUTO inputs and outputs of l added: one output per table written (named
// <project>.<table>, RefTable the guid) and one input per table read, skipping names s already lists. A
// committed node carries these; the draft keeps only what its author set.
func withLineage(s sluice.Schedule, l *sluice.VersionLineage) sluice.Schedule {
	if l == nil || len(l.Inputs)+len(l.Outputs) == 0 {
		return s
	}
	has := func(list []sluice.NodeIO, name string) bool {
		for _, io := range list {
			if io.Name == name {
				return true
			}
		}
		return false
	}
	ins := append([]sluice.NodeIO(nil), s.Inputs...)
	outs := append([]sluice.NodeIO(nil), s.Outputs...)
	for _, g := range l.Outputs {
		name := strings.TrimPrefix(g, sluice.TableGuidPrefix)
		if !has(outs, name) {
			outs = append(outs, sluice.NodeIO{Name: name, RefTable: g, ParseType: "AUTO"})
		}
	}
	written := map[string]bool{}
	for _, g := range l.Outputs {
		written[g] = true
	}
	for _, g := range l.Inputs {
		name := strings.TrimPrefix(g, sluice.TableGuidPrefix)
		if !written[g] && !has(ins, name) { // a self-overwrite does not make a node its own parent
			ins = append(ins, sluice.NodeIO{Name: name, ParseType: "AUTO"})
		}
	}
	s.Inputs, s.Outputs = ins, outs
	return s
}
