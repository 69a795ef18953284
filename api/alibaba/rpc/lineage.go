package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba"
)

// metaCodes are the error codes of the metadata and lineage actions (seed 003, GetMetaTableProducingTasks):
// every bad parameter is InvalidParameter.Meta.CommonError, a malformed table guid InvalidParameter.Meta.Illegal,
// an unknown table (or relation project) InvalidParameter.Meta.NotExist — all HTTP 400 — and a table the caller
// may not read Forbidden.Access (403).
var metaCodes = alibaba.Codes{
	sluice.EINVALID:         {Status: http.StatusBadRequest, Code: "InvalidParameter.Meta.CommonError"},
	sluice.ENOTFOUND:        {Status: http.StatusBadRequest, Code: "InvalidParameter.Meta.NotExist"},
	sluice.ECONFLICT:        {Status: http.StatusBadRequest, Code: "InvalidParameter.Meta.CommonError"},
	sluice.EFORBIDDEN:       {Status: http.StatusForbidden, Code: "Forbidden.Access"},
	sluice.EUNAUTHENTICATED: dataWorksCodes[sluice.EUNAUTHENTICATED],
	sluice.ETHROTTLED:       dataWorksCodes[sluice.ETHROTTLED],
	sluice.EINTERNAL:        dataWorksCodes[sluice.EINTERNAL],
}

// meta renders an action's errors with metaCodes.
func meta(a action) action {
	return func(ctx context.Context, p params) (any, error) {
		out, err := a(ctx, p)
		if err != nil {
			var pe *alibaba.Problem
			if errors.As(err, &pe) {
				return nil, err
			}
			pr := alibaba.ProblemFor(ctx, err, metaCodes)
			return nil, &pr
		}
		return out, nil
	}
}

func metaInvalid(format string, args ...any) error {
	return sluice.Errorf(sluice.EINVALID, format, args...)
}

// illegalGuid is the seed's code for a guid that does not parse.
func illegalGuid(err error) error {
	return &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter.Meta.Illegal", Message: sluice.ErrorMessage(err)}
}

// tableRef reads the table of a metadata request: TableGuid, or DbName/DatabaseName (the MaxCompute project) and
// TableName; SchemaName adds the schema of a three-layer project. DataSourceType must be odps when set.
func (p params) tableRef(dbParam string) (sluice.TableRef, error) {
	if ds := strings.TrimSpace(p.get("DataSourceType")); ds != "" && !strings.EqualFold(ds, "odps") {
		return sluice.TableRef{}, metaInvalid("The DataSourceType %q is not supported: Sluice catalogues MaxCompute (odps) tables only.", ds)
	}
	guid := strings.TrimSpace(p.get("TableGuid"))
	if guid == "" {
		db, name := strings.TrimSpace(p.get(dbParam)), strings.TrimSpace(p.get("TableName"))
		if db == "" || name == "" {
			return sluice.TableRef{}, metaInvalid("TableGuid is mandatory for this action (or %s and TableName).", dbParam)
		}
		guid = sluice.TableGuidPrefix + db + "." + name
	}
	ref, err := sluice.ParseTableGuid(guid)
	if err != nil {
		return sluice.TableRef{}, illegalGuid(err)
	}
	if schema := strings.ToLower(strings.TrimSpace(p.get("SchemaName"))); schema != "" && ref.Schema == "" {
		ref.Schema = schema
	}
	return ref, nil
}

func (p params) direction() (sluice.LineageDirection, error) {
	d := strings.ToLower(strings.TrimSpace(p.get("Direction")))
	switch d {
	case "":
		return "", metaInvalid("Direction is mandatory for this action: use up or down.")
	case "up", "down":
		return sluice.LineageDirection(d), nil
	}
	return "", metaInvalid("The Direction %q is invalid: use up or down.", p.get("Direction"))
}

func (p params) metaPageSize() (int, error) {
	v := strings.TrimSpace(p.get("PageSize"))
	if v == "" {
		return 10, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, metaInvalid("The PageSize %q is invalid: use 1 to 100.", v)
	}
	return n, nil
}

type producingTask struct {
	TaskID   string `json:"TaskId"`
	TaskName string `json:"TaskName"`
}

// getMetaTableProducingTasks: Data is the array of DEV nodes whose committed version writes the table.
func (dw dataWorks) getMetaTableProducingTasks(ctx context.Context, p params) (any, error) {
	ref, err := p.tableRef("DbName")
	if err != nil {
		return nil, err
	}
	nodes, err := dw.Lineage.FindProducingNodes(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := make([]producingTask, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, producingTask{TaskID: strconv.FormatInt(n.ID, 10), TaskName: n.Name})
	}
	return ok(out), nil
}

// tableBasicInfo is GetMetaTableBasicInfo's Data. A table of a Sluice project's MaxCompute catalogue reports
// what the catalogue knows: Comment, LifeCycle (days; 0 for ever, the catalogue's value), IsView,
// IsPartitionTable, PartitionKeys (the partition column names, comma-separated), ColumnCount (columns and
// partition columns, GetMetaTableColumn's TotalCount), CreateTime, LastDdlTime and LastModifyTime (the last
// DDL: Sluice keeps no table data), OwnerId (the owner's user name, as Owner is everywhere in this face; the
// numeric id of the project's owner when the table has none). A table lineage named but no DDL described
// has no columns. A table only lineage knows (its project is not a Sluice project, or not one the caller
// reads, while a project the caller reads has scripts naming it) reports its name only: CreateTime when
// lineage first saw it. Always: sizes and counters 0, Caption empty (no display names), IsVisible 0
// (workspace), EnvType 1 (production).
type tableBasicInfo struct {
	TableGUID        string `json:"TableGuid"`
	TableName        string `json:"TableName"`
	ProjectName      string `json:"ProjectName"`
	ProjectID        int64  `json:"ProjectId"`
	TenantID         int64  `json:"TenantId"`
	OwnerID          string `json:"OwnerId"`
	Caption          string `json:"Caption"`
	Comment          string `json:"Comment"`
	Schema           string `json:"Schema"`
	LifeCycle        int    `json:"LifeCycle"`
	IsPartitionTable bool   `json:"IsPartitionTable"`
	IsView           bool   `json:"IsView"`
	IsVisible        int    `json:"IsVisible"`
	EnvType          int    `json:"EnvType"`
	ColumnCount      int    `json:"ColumnCount"`
	DataSize         int64  `json:"DataSize"`
	CreateTime       int64  `json:"CreateTime"`
	LastAccessTime   int64  `json:"LastAccessTime"`
	LastDdlTime      int64  `json:"LastDdlTime"`
	LastModifyTime   int64  `json:"LastModifyTime"`
	ReadCount        int64  `json:"ReadCount"`
	ViewCount        int64  `json:"ViewCount"`
	FavoriteCount    int64  `json:"FavoriteCount"`
	ClusterID        string `json:"ClusterId"`
	DatabaseName     string `json:"DatabaseName"`
	Location         string `json:"Location"`
	PartitionKeys    string `json:"PartitionKeys"`
}

// findTable looks a metadata request's table up: in the MaxCompute catalogue of the Sluice project its guid
// names (ct), or else in the lineage catalogue (lt), which also knows tables of projects Sluice does not
// hold and tables of Sluice projects that only scripts have named. A table the catalogue refuses
// (EFORBIDDEN: the caller is no member of its project and no package installed into one of theirs holds it)
// may still be known through lineage of a project the caller reads; when lineage does not know it either,
// the refusal stands rather than a not-found.
func (dw dataWorks) findTable(ctx context.Context, ref sluice.TableRef) (ct *sluice.CatalogTable, lt *sluice.Table, err error) {
	var catErr error
	if dw.Catalog != nil {
		schema := ref.Schema
		if schema == "" {
			schema = sluice.DefaultSchema
		}
		ct, catErr = dw.Catalog.FindCatalogTable(ctx, sluice.ProjectByName(ref.Project), schema, ref.Name)
		if catErr == nil {
			return ct, nil, nil
		}
		if code := sluice.ErrorCode(catErr); code != sluice.ENOTFOUND && code != sluice.EFORBIDDEN {
			return nil, nil, catErr
		}
	}
	if dw.Lineage == nil {
		return nil, nil, catErr
	}
	lt, err = dw.Lineage.FindTable(ctx, ref)
	if err != nil {
		if sluice.ErrorCode(catErr) == sluice.EFORBIDDEN && sluice.ErrorCode(err) == sluice.ENOTFOUND {
			return nil, nil, catErr
		}
		return nil, nil, err
	}
	return nil, lt, nil
}

// getMetaTableBasicInfo answers a catalogued table (OLD sends it as GET). ProjectId and TenantId are those of
// the Sluice project whose catalogue holds it.
func (dw dataWorks) getMetaTableBasicInfo(ctx context.Context, p params) (any, error) {
	ref, err := p.tableRef("DatabaseName")
	if err != nil {
		return nil, err
	}
	if _, err := p.boolean("Extension"); err != nil {
		return nil, metaInvalid("The Extension parameter must be true or false.")
	}
	ct, lt, err := dw.findTable(ctx, ref)
	if err != nil {
		return nil, err
	}
	info := tableBasicInfo{TableGUID: ref.Guid(), TableName: ref.Name, ProjectName: ref.Project, Schema: ref.Schema,
		EnvType: 1, DatabaseName: ref.Project}
	if ct != nil {
		names := make([]string, 0, len(ct.PartitionColumns))
		for _, c := range ct.PartitionColumns {
			names = append(names, c.Name)
		}
		info.ProjectID, info.OwnerID, info.Comment, info.LifeCycle = ct.ProjectID, ct.Owner, ct.Comment, ct.Lifecycle
		info.IsView, info.IsPartitionTable, info.PartitionKeys = ct.Kind == sluice.KindView, len(names) > 0, strings.Join(names, ",")
		info.ColumnCount = len(ct.Columns) + len(ct.PartitionColumns)
		info.CreateTime, info.LastDdlTime, info.LastModifyTime = ms(ct.CreatedAt), ms(ct.UpdatedAt), ms(ct.UpdatedAt)
	} else {
		info.ProjectID, info.TableGUID = lt.ProjectID, lt.Guid
		info.CreateTime, info.LastDdlTime, info.LastModifyTime = ms(lt.CreatedAt), ms(lt.CreatedAt), ms(lt.CreatedAt)
	}
	// The project may be one the caller reads only through an installed package: then its tenant and owner
	// stay unknown (0, and the table's owner).
	if proj, err := dw.Projects.FindProject(ctx, sluice.ProjectByID(info.ProjectID)); err == nil {
		info.TenantID = proj.AccountID
		if info.OwnerID == "" {
			info.OwnerID = strconv.FormatInt(proj.OwnerID, 10)
		}
	}
	return ok(info), nil
}

// metaColumn is GetMetaTableColumn's Data.ColumnList[] (ColumnListItem).
type metaColumn struct {
	ColumnGUID        string `json:"ColumnGuid"`
	ColumnName        string `json:"ColumnName"`
	ColumnType        string `json:"ColumnType"`
	Comment           string `json:"Comment"`
	Caption           string `json:"Caption"`
	IsPartitionColumn bool   `json:"IsPartitionColumn"`
	IsPrimaryKey      bool   `json:"IsPrimaryKey"`
	IsForeignKey      bool   `json:"IsForeignKey"`
	Position          int    `json:"Position"`
	RelationCount     int64  `json:"RelationCount"`
}

type metaColumnData struct {
	PageNum    int64        `json:"PageNum"`
	PageSize   int          `json:"PageSize"`
	TotalCount int64        `json:"TotalCount"`
	ColumnList []metaColumn `json:"ColumnList"`
}

// getMetaTableColumn lists a table's columns, then its partition columns, PageSize (1–100, default 10) a
// page from PageNum (1-based). Position counts from 1 over that order; ColumnGuid is the table guid and the
// column name (odps.<project>.<table>.<column>). RelationCount is the column's number of column lineage
// neighbours, upstream and downstream, through the current versions of nodes in projects the caller reads
// (GetMetaColumnLineage's TotalCount, up plus down). MaxCompute has no keys and Sluice no display names:
// IsPrimaryKey and IsForeignKey false, Caption empty. A table only lineage knows has no columns. A caller reading the table through an installed package sees only the columns the
// package's label allows (the catalogue leaves the others out).
func (dw dataWorks) getMetaTableColumn(ctx context.Context, p params) (any, error) {
	ref, err := p.tableRef("DatabaseName")
	if err != nil {
		return nil, err
	}
	num, err := p.int64("PageNum", 1)
	if err != nil || num < 1 {
		return nil, metaInvalid("The PageNum %q is invalid: use 1 or more.", p.get("PageNum"))
	}
	size, err := p.metaPageSize()
	if err != nil {
		return nil, err
	}
	ct, _, err := dw.findTable(ctx, ref)
	if err != nil {
		return nil, err
	}
	var all []metaColumn
	if ct != nil {
		for i, c := range slices.Concat(ct.Columns, ct.PartitionColumns) {
			all = append(all, metaColumn{ColumnGUID: ref.Guid() + "." + c.Name, ColumnName: c.Name, ColumnType: c.Type,
				Comment: c.Comment, IsPartitionColumn: i >= len(ct.Columns), Position: i + 1})
		}
	}
	d := metaColumnData{PageNum: num, PageSize: size, TotalCount: int64(len(all)), ColumnList: []metaColumn{}}
	if start := (num - 1) * int64(size); start < int64(len(all)) {
		d.ColumnList = all[start:min(start+int64(size), int64(len(all)))]
	}
	if len(d.ColumnList) > 0 && dw.Lineage != nil {
		counts, err := dw.Lineage.CountColumnRelations(ctx, ref)
		if err != nil {
			return nil, err
		}
		for i := range d.ColumnList {
			d.ColumnList[i].RelationCount = counts[strings.ToLower(d.ColumnList[i].ColumnName)]
		}
	}
	return ok(d), nil
}

// columnRef reads the column of GetMetaColumnLineage: ColumnGuid, or DatabaseName (the MaxCompute project),
// TableName and ColumnName. ClusterId is EMR's, which Sluice does not catalogue; it is ignored for odps.
func (p params) columnRef() (sluice.ColumnRef, error) {
	if ds := strings.TrimSpace(p.get("DataSourceType")); ds != "" && !strings.EqualFold(ds, "odps") {
		return sluice.ColumnRef{}, metaInvalid("The DataSourceType %q is not supported: Sluice catalogues MaxCompute (odps) tables only.", ds)
	}
	guid := strings.TrimSpace(p.get("ColumnGuid"))
	if guid == "" {
		t, err := p.tableRef("DatabaseName")
		if err != nil {
			if sluice.ErrorCode(err) == sluice.EINVALID {
				return sluice.ColumnRef{}, metaInvalid("ColumnGuid is mandatory for this action (or DatabaseName, TableName and ColumnName).")
			}
			return sluice.ColumnRef{}, err
		}
		col := strings.TrimSpace(p.get("ColumnName"))
		if col == "" {
			return sluice.ColumnRef{}, metaInvalid("ColumnGuid is mandatory for this action (or DatabaseName, TableName and ColumnName).")
		}
		guid = t.Guid() + "." + col
	}
	c, err := sluice.ParseColumnGuid(guid)
	if err != nil {
		return sluice.ColumnRef{}, illegalGuid(err)
	}
	return c, nil
}

// columnEntity is GetMetaColumnLineage's Data.DataEntityList[] (DataEntityListItem): the column and its table.
type columnEntity struct {
	ColumnGUID   string `json:"ColumnGuid"`
	ColumnName   string `json:"ColumnName"`
	TableGUID    string `json:"TableGuid"`
	TableName    string `json:"TableName"`
	DatabaseName string `json:"DatabaseName"`
	ClusterID    string `json:"ClusterId"`
}

type columnLineageData struct {
	PageNum        int            `json:"PageNum"`
	PageSize       int            `json:"PageSize"`
	TotalCount     int64          `json:"TotalCount"`
	DataEntityList []columnEntity `json:"DataEntityList"`
}

// getMetaColumnLineage: one hop of column lineage through current versions, up (the columns a column's value
// comes from) or down (the columns made from it), PageSize (1–100, default 10) a page from PageNum (1-based),
// ordered by column guid; TotalCount counts every page. An unknown table is InvalidParameter.Meta.NotExist, a
// table of no project the caller reads Forbidden.Access, as for table lineage.
func (dw dataWorks) getMetaColumnLineage(ctx context.Context, p params) (any, error) {
	c, err := p.columnRef()
	if err != nil {
		return nil, err
	}
	dir, err := p.direction()
	if err != nil {
		return nil, err
	}
	num, err := p.int64("PageNum", 1)
	if err != nil || num < 1 || num > 1<<31-1 {
		return nil, metaInvalid("The PageNum %q is invalid: use 1 or more.", p.get("PageNum"))
	}
	size, err := p.metaPageSize()
	if err != nil {
		return nil, err
	}
	links, total, err := dw.Lineage.FindColumnLineage(ctx, c, sluice.ColumnQuery{Direction: dir, PageNum: int(num), PageSize: size})
	if err != nil {
		return nil, err
	}
	d := columnLineageData{PageNum: int(num), PageSize: size, TotalCount: total, DataEntityList: make([]columnEntity, 0, len(links))}
	for _, l := range links {
		e := columnEntity{ColumnGUID: l.Guid}
		if ref, err := sluice.ParseColumnGuid(l.Guid); err == nil {
			e.ColumnName, e.TableGUID, e.TableName, e.DatabaseName = ref.Column, ref.Table.Guid(), ref.Table.Name, ref.Table.Project
		}
		d.DataEntityList = append(d.DataEntityList, e)
	}
	return ok(d), nil
}

type lineageEntity struct {
	TableGUID       string `json:"TableGuid"`
	TableName       string `json:"TableName"`
	DatabaseName    string `json:"DatabaseName"`
	CreateTimestamp int64  `json:"CreateTimestamp"`
}

type tableLineageData struct {
	HasNext        bool            `json:"HasNext"`
	NextPrimaryKey string          `json:"NextPrimaryKey"`
	DataEntityList []lineageEntity `json:"DataEntityList"`
}

// getMetaTableLineage: one hop of table lineage, pages of PageSize ordered by guid; NextPrimaryKey is the last
// guid of a page that has a next one.
func (dw dataWorks) getMetaTableLineage(ctx context.Context, p params) (any, error) {
	ref, err := p.tableRef("DatabaseName")
	if err != nil {
		return nil, err
	}
	dir, err := p.direction()
	if err != nil {
		return nil, err
	}
	size, err := p.metaPageSize()
	if err != nil {
		return nil, err
	}
	links, more, err := dw.Lineage.FindTableLinks(ctx, ref, sluice.LineageQuery{Direction: dir, After: strings.TrimSpace(p.get("NextPrimaryKey")), Limit: size})
	if err != nil {
		return nil, err
	}
	d := tableLineageData{HasNext: more, DataEntityList: make([]lineageEntity, 0, len(links))}
	for _, l := range links {
		t, _ := sluice.ParseTableGuid(l.Guid)
		e := lineageEntity{TableGUID: l.Guid, TableName: t.Name, DatabaseName: t.Project}
		if l.Relation != nil {
			e.CreateTimestamp = ms(l.Relation.CreatedAt)
		}
		d.DataEntityList = append(d.DataEntityList, e)
	}
	if more && len(links) > 0 {
		d.NextPrimaryKey = links[len(links)-1].Guid
	}
	return ok(d), nil
}

// entityPrefix is how ListLineage and the relation actions name MaxCompute tables:
// maxcompute-table.<project>.<table>.
const entityPrefix = "maxcompute-table."

// entityTable reads an entity qualified name (a table guid is accepted too).
func entityTable(name, v string) (sluice.TableRef, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return sluice.TableRef{}, metaInvalid("%s is mandatory for this action.", name)
	}
	guid := v
	if strings.HasPrefix(strings.ToLower(v), entityPrefix) {
		guid = sluice.TableGuidPrefix + v[len(entityPrefix):]
	} else if !strings.HasPrefix(strings.ToLower(v), sluice.TableGuidPrefix) {
		return sluice.TableRef{}, metaInvalid("The %s %q is not supported: use maxcompute-table.<project>.<table>.", name, v)
	}
	ref, err := sluice.ParseTableGuid(guid)
	if err != nil {
		return sluice.TableRef{}, illegalGuid(err)
	}
	return ref, nil
}

func entityName(t sluice.TableRef) string { return entityPrefix + t.OutputName() }

type entity struct {
	QualifiedName string         `json:"QualifiedName"`
	TenantID      int64          `json:"TenantId"`
	EntityContent map[string]any `json:"EntityContent"`
}

type relationItem struct {
	GUID       string `json:"Guid"`
	Datasource string `json:"Datasource"`
	Type       string `json:"Type"`
	Channel    string `json:"Channel"`
}

type lineageItem struct {
	Entity          entity         `json:"Entity"`
	RelationList    []relationItem `json:"RelationList"`
	CreateTimestamp int64          `json:"CreateTimestamp"`
}

type listLineageData struct {
	NextToken      string        `json:"NextToken"`
	DataEntityList []lineageItem `json:"DataEntityList"`
}

// listLineage: entity-level lineage, one hop. Each neighbour lists how it is linked: Channel AUTO (parsed from a
// committed node's SQL) and/or MANUAL (a registered relation, with its guid and type).
func (dw dataWorks) listLineage(ctx context.Context, p params) (any, error) {
	ref, err := entityTable("EntityQualifiedName", p.get("EntityQualifiedName"))
	if err != nil {
		return nil, err
	}
	dir, err := p.direction()
	if err != nil {
		return nil, err
	}
	size, err := p.metaPageSize()
	if err != nil {
		return nil, err
	}
	links, more, err := dw.Lineage.FindTableLinks(ctx, ref, sluice.LineageQuery{Direction: dir, After: strings.TrimSpace(p.get("NextToken")),
		Keyword: strings.TrimSpace(p.get("Keyword")), Limit: size})
	if err != nil {
		return nil, err
	}
	d := listLineageData{DataEntityList: make([]lineageItem, 0, len(links))}
	for _, l := range links {
		t, _ := sluice.ParseTableGuid(l.Guid)
		it := lineageItem{Entity: entity{QualifiedName: entityName(t), EntityContent: map[string]any{"name": t.Name, "project": t.Project}},
			RelationList: []relationItem{}}
		if l.Auto {
			it.RelationList = append(it.RelationList, relationItem{Datasource: "odps", Type: "sql", Channel: "AUTO"})
		}
		if r := l.Relation; r != nil {
			it.RelationList = append(it.RelationList, relationItem{GUID: r.Guid, Datasource: "odps", Type: r.Type, Channel: "MANUAL"})
			it.CreateTimestamp = ms(r.CreatedAt)
		}
		d.DataEntityList = append(d.DataEntityList, it)
	}
	if more && len(links) > 0 {
		d.NextToken = links[len(links)-1].Guid
	}
	return ok(d), nil
}

type lineageRelation struct {
	SrcEntityQualifiedName  string `json:"SrcEntityQualifiedName"`
	DestEntityQualifiedName string `json:"DestEntityQualifiedName"`
	RelationshipGUID        string `json:"RelationshipGuid"`
}

// registerLineageRelation: OLD flattens the LineageRelationRegisterVO struct into the form body
// (LineageRelationRegisterVO.SrcEntity.QualifiedName=...); NEW sends it as JSON text in one parameter.
func (dw dataWorks) registerLineageRelation(ctx context.Context, p params) (any, error) {
	const vo = "LineageRelationRegisterVO"
	src, dest := p.get(vo+".SrcEntity.QualifiedName"), p.get(vo+".DestEntity.QualifiedName")
	typ, guid := p.get(vo+".Relationship.RelationshipType"), p.get(vo+".Relationship.RelationshipGuid")
	if js := strings.TrimSpace(p.get(vo)); js != "" {
		var body struct {
			SrcEntity, DestEntity struct{ QualifiedName string }
			Relationship          struct{ RelationshipType, RelationshipGuid string }
		}
		if err := json.Unmarshal([]byte(js), &body); err != nil {
			return nil, metaInvalid("%s is not valid JSON.", vo)
		}
		src, dest = body.SrcEntity.QualifiedName, body.DestEntity.QualifiedName
		typ, guid = body.Relationship.RelationshipType, body.Relationship.RelationshipGuid
	}
	s, err := entityTable(vo+".SrcEntity.QualifiedName", src)
	if err != nil {
		return nil, err
	}
	d, err := entityTable(vo+".DestEntity.QualifiedName", dest)
	if err != nil {
		return nil, err
	}
	if typ == "" {
		typ = "sql"
	}
	r, err := dw.Lineage.CreateLineageRelation(ctx, s, d, typ, strings.TrimSpace(guid))
	if err != nil {
		return nil, err
	}
	return struct {
		HTTPStatusCode  int             `json:"HttpStatusCode"`
		Success         bool            `json:"Success"`
		LineageRelation lineageRelation `json:"LineageRelation"`
	}{200, true, lineageRelation{SrcEntityQualifiedName: entityName(s), DestEntityQualifiedName: entityName(d), RelationshipGUID: r.Guid}}, nil
}

// deleteLineageRelation answers Status true when a relation was deleted, false when none matched.
func (dw dataWorks) deleteLineageRelation(ctx context.Context, p params) (any, error) {
	s, err := entityTable("SrcEntityQualifiedName", p.get("SrcEntityQualifiedName"))
	if err != nil {
		return nil, err
	}
	d, err := entityTable("DestEntityQualifiedName", p.get("DestEntityQualifiedName"))
	if err != nil {
		return nil, err
	}
	deleted, err := dw.Lineage.DeleteLineageRelation(ctx, s, d, strings.TrimSpace(p.get("RelationshipGuid")))
	if err != nil {
		return nil, err
	}
	return struct {
		HTTPStatusCode int  `json:"HttpStatusCode"`
		Success        bool `json:"Success"`
		Status         bool `json:"Status"`
	}{200, true, deleted}, nil
}

// nodeItem is GetNodeParents/GetNodeChildren's Nodes[] (Repeatability bool, DqcType string here).
type nodeItem struct {
	NodeID         int64  `json:"NodeId"`
	NodeName       string `json:"NodeName"`
	ProjectID      int64  `json:"ProjectId"`
	BusinessID     int64  `json:"BusinessId"`
	ProgramType    string `json:"ProgramType"`
	OwnerID        string `json:"OwnerId"`
	Owner          string `json:"Owner"`
	CronExpress    string `json:"CronExpress"`
	ParamValues    string `json:"ParamValues"`
	SchedulerType  string `json:"SchedulerType"`
	Priority       int    `json:"Priority"`
	RepeatInterval int64  `json:"RepeatInterval"`
	Repeatability  bool   `json:"Repeatability"`
	Connection     string `json:"Connection"`
	ResGroupName   string `json:"ResGroupName"`
	BaselineID     int64  `json:"BaselineId"`
	DqcType        string `json:"DqcType"`
	DqcDescription string `json:"DqcDescription"`
	Description    string `json:"Description"`
	StepType       string `json:"StepType"`
}

func (dw dataWorks) nodeRelatives(parents bool) action {
	return func(ctx context.Context, p params) (any, error) {
		id, err := p.id("NodeId")
		if err != nil {
			return nil, err
		}
		env, err := p.projectEnv()
		if err != nil {
			return nil, err
		}
		find := dw.Lineage.FindNodeChildren
		if parents {
			find = dw.Lineage.FindNodeParents
		}
		nodes, err := find(ctx, id, env)
		if err != nil {
			return nil, err
		}
		items := make([]nodeItem, 0, len(nodes))
		for _, n := range nodes {
			w := wireNode(n, false)
			repeat, _ := w.Repeatability.(bool)
			items = append(items, nodeItem{NodeID: w.NodeID, NodeName: w.NodeName, ProjectID: w.ProjectID, BusinessID: w.BusinessID,
				ProgramType: w.ProgramType, OwnerID: w.OwnerID, Owner: w.Owner, CronExpress: w.CronExpress, ParamValues: w.ParamValues,
				SchedulerType: w.SchedulerType, Priority: w.Priority, RepeatInterval: w.RepeatInterval, Repeatability: repeat,
				ResGroupName: w.ResGroupName, Description: w.Description})
		}
		return ok(struct {
			Nodes []nodeItem `json:"Nodes"`
		}{items}), nil
	}
}
