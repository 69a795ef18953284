package roa

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// Catalogue APIs (maxcompute-packages.md §6). Wire shapes follow the generated client's models
// (list_tables_*, get_table_info_*, list_functions_*, list_resources_* in maxcompute-20220104/client):
//
//	ListTables     GET /api/v1/projects/{projectName}/tables              ?marker&maxItem&prefix&schemaName&type
//	                                                                      -> {requestId, data: {tables[], marker, maxItem}}
//	GetTableInfo   GET /api/v1/projects/{projectName}/tables/{tableName}  ?schemaName&type
//	                                                                      -> {requestId, data: table}
//	ListFunctions  GET /api/v1/projects/{projectName}/functions           ?marker&maxItem&prefix&schemaName
//	                                                                      -> {requestId, data: {functions[], marker, maxItem}}
//	ListResources  GET /api/v1/projects/{projectName}/resources           ?marker&maxItem&name&schemaName
//	                                                                      -> {requestId, data: {resources[], marker, maxItem}}
//
// Paging is ListProjects': maxItem 1..1000 (0 or absent = 10), an opaque marker that starts the next page,
// empty on the last. Every time is epoch milliseconds (the models type them *int64).
//
// schemaName selects one schema; absent, it is "default", the schema of every object of a two-layer
// project (MaxCompute lists the default schema too when none is named). Resources have no schema: a
// schemaName other than "default" lists none.
//
// Tables. type filters by kind: internal (also MANAGED_TABLE) or view (also VIRTUAL_VIEW), in any case;
// external and materializedView (also EXTERNAL_TABLE, MATERIALIZED_VIEW) list nothing, Sluice has neither.
// GetTableInfo's type, when given, must be the table's kind, else the table is not found. What the domain
// knows is reported as it is: name, schema, owner (a user name), comment, tableLabel and each column's
// label ("0"–"9"), columns and partition columns with their comments, viewText, creationTime, lastDDLTime.
// Column types are reported upper case as MaxCompute does (STRING, DECIMAL(10,2), ARRAY<STRUCT<a:INT>>),
// struct field names as declared. lifecycle is a string of days, "-1" for a table kept for ever (the domain's
// 0). The rest is derived or synthesised, the same for every table:
//
//	type "internal" or "view"; displayName <project>.<schema>.<table>; createTableDDL rebuilt from the
//	columns, comment, partitioning and lifecycle (or the view's query); lastModifiedTime and lastAccessTime
//	the last DDL (Sluice keeps no table data, so nothing later touched it); size, physicalSize, fileNum 0;
//	isExternalTable, materializedView false; partitionColumns only on partitioned tables.
//
// A table lineage alone has named (a committed script read or wrote it, no DDL described it) is listed like
// any other, with no columns and no createTableDDL.
//
// Functions: name (displayName the same), class, owner, schema, resources (the names joined by commas, as
// the model's one string), creationTime.
//
// Resources are the resource centre's (the DLI face's resources): every READY resource of the project,
// ungrouped and in groups, by name (then group, where two groups hold one name); a resource still
// uploading, or whose upload failed, is not a MaxCompute resource yet. name is a name prefix. type maps
// the kind: jar "jar", pyFile "py", file and modelFile "file". owner and lastUpdator are the owner's user
// name, size the bytes, schema "default", comment empty; contentMD5 is left out (Sluice keeps SHA-256).

// Kinds as the 2022-01-04 models spell them.
const (
	typeInternal = "internal"
	typeView     = "view"
)

func wireTableType(k sluice.TableKind) string {
	if k == sluice.KindView {
		return typeView
	}
	return typeInternal
}

// tableKindQuery reads ListTables' and GetTableInfo's type. none is true for the kinds Sluice does not have.
func tableKindQuery(q *request) (kind sluice.TableKind, none bool, err error) {
	switch v := q.query.Get("type"); strings.ToLower(v) {
	case "":
		return "", false, nil
	case typeInternal, "managed_table":
		return sluice.KindTable, false, nil
	case typeView, "virtual_view":
		return sluice.KindView, false, nil
	case "external", "external_table", "materializedview", "materialized_view":
		return "", true, nil
	default:
		return "", false, sluice.Errorf(sluice.EINVALID, "The parameter type must be internal, view, external or materializedView, not %q.", v)
	}
}

// schemaQuery is the schema a request names, DefaultSchema when it names none.
func schemaQuery(q *request) string {
	if s := strings.TrimSpace(q.query.Get("schemaName")); s != "" {
		return strings.ToLower(s)
	}
	return sluice.DefaultSchema
}

// listTablesData is ListTablesResponseBodyData.
type listTablesData struct {
	Tables  []tableSummary `json:"tables"`
	Marker  string         `json:"marker"`
	MaxItem int            `json:"maxItem"`
}

// tableSummary is ListTablesResponseBodyDataTables.
type tableSummary struct {
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	Owner        string `json:"owner"`
	Schema       string `json:"schema"`
	Type         string `json:"type"`
	CreationTime int64  `json:"creationTime"`
}

func (h *handler) listTables(ctx context.Context, q *request) (any, error) {
	maxItem, after, err := q.page()
	if err != nil {
		return nil, err
	}
	kind, none, err := tableKindQuery(q)
	if err != nil {
		return nil, err
	}
	project := q.params["projectName"]
	data := listTablesData{Tables: []tableSummary{}, MaxItem: maxItem}
	if none {
		return ok(ctx, data), nil
	}
	ts, err := h.catalog.FindTables(ctx, sluice.ProjectByName(project), sluice.TableFilter{
		Schema: schemaQuery(q), Prefix: strings.ToLower(q.query.Get("prefix")), Kind: kind, After: after, Limit: maxItem + 1})
	if err != nil {
		return nil, err
	}
	if len(ts) > maxItem {
		ts = ts[:maxItem]
		data.Marker = encodeMarker(ts[len(ts)-1].Name)
	}
	for _, t := range ts {
		data.Tables = append(data.Tables, tableSummary{Name: t.Name, DisplayName: t.Name, Owner: t.Owner, Schema: schemaOf(t.Schema),
			Type: wireTableType(t.Kind), CreationTime: t.CreatedAt.UnixMilli()})
	}
	return ok(ctx, data), nil
}

func schemaOf(s string) string {
	if s == "" {
		return sluice.DefaultSchema
	}
	return s
}

// tableInfo is GetTableInfoResponseBodyData, less the external-table, Tablestore, clustering and
// materialized-view fields Sluice has no use for.
type tableInfo struct {
	Name             string        `json:"name"`
	DisplayName      string        `json:"displayName"`
	ProjectName      string        `json:"projectName"`
	Schema           string        `json:"schema"`
	Type             string        `json:"type"`
	Owner            string        `json:"owner"`
	Comment          string        `json:"comment"`
	TableLabel       string        `json:"tableLabel"`
	Lifecycle        string        `json:"lifecycle"`
	CreationTime     int64         `json:"creationTime"`
	LastDDLTime      int64         `json:"lastDDLTime"`
	LastModifiedTime int64         `json:"lastModifiedTime"`
	LastAccessTime   int64         `json:"lastAccessTime"`
	NativeColumns    []tableColumn `json:"nativeColumns"`
	PartitionColumns []tableColumn `json:"partitionColumns,omitempty"`
	ViewText         string        `json:"viewText,omitempty"`
	CreateTableDDL   string        `json:"createTableDDL,omitempty"`
	Size             int64         `json:"size"`
	PhysicalSize     int64         `json:"physicalSize"`
	FileNum          int64         `json:"fileNum"`
	IsExternalTable  bool          `json:"isExternalTable"`
	MaterializedView bool          `json:"materializedView"`
}

// tableColumn is GetTableInfoResponseBodyDataNativeColumns (and ...PartitionColumns, the same fields).
// Partition columns carry no label. effectiveLabel and labelSource are Sluice's, beyond the model (its
// decoder skips keys it does not know): the label that governs the column once labels follow the data, and
// the column it derives from when that is above the declared labels.
type tableColumn struct {
	Name           string `json:"name"`
	Type           string `json:"type"`
	Comment        string `json:"comment"`
	Label          string `json:"label,omitempty"`
	EffectiveLabel string `json:"effectiveLabel,omitempty"`
	LabelSource    string `json:"labelSource,omitempty"`
}

// wireLifecycle is the model's lifecycle string: "-1" for for ever (the domain's 0).
func wireLifecycle(days int) string {
	if days <= 0 {
		return "-1"
	}
	return strconv.Itoa(days)
}

func newTableInfo(t *sluice.CatalogTable, project string) tableInfo {
	if t.Project != "" {
		project = t.Project
	}
	schema := schemaOf(t.Schema)
	info := tableInfo{
		Name: t.Name, DisplayName: project + "." + schema + "." + t.Name, ProjectName: project, Schema: schema,
		Type: wireTableType(t.Kind), Owner: t.Owner, Comment: t.Comment, TableLabel: strconv.Itoa(t.Label),
		Lifecycle: wireLifecycle(t.Lifecycle), CreationTime: t.CreatedAt.UnixMilli(), LastDDLTime: t.UpdatedAt.UnixMilli(),
		LastModifiedTime: t.UpdatedAt.UnixMilli(), LastAccessTime: t.UpdatedAt.UnixMilli(),
		NativeColumns: make([]tableColumn, 0, len(t.Columns)), ViewText: t.ViewText, CreateTableDDL: createDDL(t),
	}
	for _, c := range t.Columns {
		col := tableColumn{Name: c.Name, Type: wireType(c.Type), Comment: c.Comment, Label: strconv.Itoa(c.Label)}
		if t.Derived != nil { // read with its lineage's labels
			label, d := t.LineageLabel(c)
			col.EffectiveLabel, col.LabelSource = strconv.Itoa(label), d.Source
		}
		info.NativeColumns = append(info.NativeColumns, col)
	}
	for _, c := range t.PartitionColumns {
		info.PartitionColumns = append(info.PartitionColumns, tableColumn{Name: c.Name, Type: wireType(c.Type), Comment: c.Comment})
	}
	return info
}

func (h *handler) getTableInfo(ctx context.Context, q *request) (any, error) {
	kind, none, err := tableKindQuery(q)
	if err != nil {
		return nil, err
	}
	project, name := q.params["projectName"], q.params["tableName"]
	if none {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "The %s table %s does not exist: Sluice has only internal tables and views.", q.query.Get("type"), name)
	}
	t, err := h.catalog.FindCatalogTable(ctx, sluice.ProjectByName(project), schemaQuery(q), name)
	if err != nil {
		return nil, err
	}
	if kind != "" && t.Kind != kind {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "%s is a %s, not a %s.", name, wireTableType(t.Kind), wireTableType(kind))
	}
	return ok(ctx, newTableInfo(t, project)), nil
}

// wireType spells a declared type as MaxCompute reports it: keywords upper case, struct field names (the
// words before a colon) as declared.
func wireType(typ string) string {
	b := []byte(typ)
	for i := 0; i < len(b); {
		if b[i] == '`' { // a quoted field name stays as it is
			j := strings.IndexByte(typ[i+1:], '`')
			if j < 0 {
				break
			}
			i += j + 2
			continue
		}
		if !isWordByte(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isWordByte(b[j]) {
			j++
		}
		k := j
		for k < len(b) && b[k] == ' ' {
			k++
		}
		if k == len(b) || b[k] != ':' {
			copy(b[i:j], strings.ToUpper(typ[i:j]))
		}
		i = j
	}
	return string(b)
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// createDDL rebuilds the statement that creates t as it is now; "" for a table no DDL has described.
func createDDL(t *sluice.CatalogTable) string {
	if t.Kind == sluice.KindView {
		if t.ViewText == "" {
			return ""
		}
		return "CREATE VIEW IF NOT EXISTS " + t.Name + " AS " + strings.TrimRight(t.ViewText, "; \t\r\n") + ";"
	}
	if !t.Described || len(t.Columns) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + t.Name + " (")
	columnsDDL(&b, t.Columns)
	b.WriteString(")")
	if t.Comment != "" {
		b.WriteString(" COMMENT " + quote(t.Comment))
	}
	if len(t.PartitionColumns) > 0 {
		b.WriteString(" PARTITIONED BY (")
		columnsDDL(&b, t.PartitionColumns)
		b.WriteString(")")
	}
	if t.Lifecycle > 0 {
		b.WriteString(" LIFECYCLE " + strconv.Itoa(t.Lifecycle))
	}
	b.WriteString(";")
	return b.String()
}

func columnsDDL(b *strings.Builder, cs []sluice.Column) {
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name + " " + wireType(c.Type))
		if c.Comment != "" {
			b.WriteString(" COMMENT " + quote(c.Comment))
		}
	}
}

// quote is a MaxCompute string literal: single quotes, backslash escapes.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s) + "'"
}

// listFunctionsData is ListFunctionsResponseBodyData.
type listFunctionsData struct {
	Functions []function `json:"functions"`
	Marker    string     `json:"marker"`
	MaxItem   int        `json:"maxItem"`
}

// function is ListFunctionsResponseBodyDataFunctions.
type function struct {
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	Class        string `json:"class"`
	Owner        string `json:"owner"`
	Schema       string `json:"schema"`
	Resources    string `json:"resources"`
	CreationTime int64  `json:"creationTime"`
}

func (h *handler) listFunctions(ctx context.Context, q *request) (any, error) {
	maxItem, after, err := q.page()
	if err != nil {
		return nil, err
	}
	project := q.params["projectName"]
	fs, err := h.catalog.FindFunctions(ctx, sluice.ProjectByName(project), sluice.FunctionFilter{
		Schema: schemaQuery(q), Prefix: strings.ToLower(q.query.Get("prefix")), After: after, Limit: maxItem + 1})
	if err != nil {
		return nil, err
	}
	data := listFunctionsData{Functions: []function{}, MaxItem: maxItem}
	if len(fs) > maxItem {
		fs = fs[:maxItem]
		data.Marker = encodeMarker(fs[len(fs)-1].Name)
	}
	for _, f := range fs {
		data.Functions = append(data.Functions, function{Name: f.Name, DisplayName: f.Name, Class: f.Class, Owner: f.Owner,
			Schema: schemaOf(f.Schema), Resources: strings.Join(f.Resources, ","), CreationTime: f.CreatedAt.UnixMilli()})
	}
	return ok(ctx, data), nil
}

// listResourcesData is ListResourcesResponseBodyData.
type listResourcesData struct {
	Resources []resource `json:"resources"`
	Marker    string     `json:"marker"`
	MaxItem   int        `json:"maxItem"`
}

// resource is ListResourcesResponseBodyDataResources.
type resource struct {
	Name             string `json:"name"`
	DisplayName      string `json:"displayName"`
	Type             string `json:"type"`
	Owner            string `json:"owner"`
	LastUpdator      string `json:"lastUpdator"`
	Schema           string `json:"schema"`
	Comment          string `json:"comment"`
	Size             int64  `json:"size"`
	CreationTime     int64  `json:"creationTime"`
	LastModifiedTime int64  `json:"lastModifiedTime"`
}

// wireResourceType is a resource kind as MaxCompute names resource types.
func wireResourceType(k sluice.ResourceKind) string {
	switch k {
	case sluice.KindJar:
		return "jar"
	case sluice.KindPyFile:
		return "py"
	}
	return "file"
}

// resourceKey orders resources by name, then group, and is what a marker remembers. No name holds a NUL.
func resourceKey(r *sluice.Resource) string { return r.Name + "\x00" + r.Group }

func (h *handler) listResources(ctx context.Context, q *request) (any, error) {
	maxItem, after, err := q.page()
	if err != nil {
		return nil, err
	}
	project := q.params["projectName"]
	data := listResourcesData{Resources: []resource{}, MaxItem: maxItem}
	if schemaQuery(q) != sluice.DefaultSchema {
		return ok(ctx, data), nil
	}
	l, err := h.resources.FindResources(ctx, sluice.ProjectByName(project), sluice.ResourceFilter{})
	if err != nil {
		return nil, err
	}
	// The listing is shared and may not be changed: collect into a slice of our own.
	prefix := q.query.Get("name")
	rs := make([]*sluice.Resource, 0, l.Total())
	add := func(list []*sluice.Resource) {
		for _, r := range list {
			if r.Status == sluice.UploadReady && strings.HasPrefix(r.Name, prefix) && (after == "" || resourceKey(r) > after) {
				rs = append(rs, r)
			}
		}
	}
	add(l.Resources)
	for _, g := range l.Groups {
		add(g.Resources)
	}
	slices.SortFunc(rs, func(a, b *sluice.Resource) int { return cmp.Compare(resourceKey(a), resourceKey(b)) })
	if len(rs) > maxItem {
		rs = rs[:maxItem]
		data.Marker = encodeMarker(resourceKey(rs[len(rs)-1]))
	}
	for _, r := range rs {
		data.Resources = append(data.Resources, resource{Name: r.Name, DisplayName: r.Name, Type: wireResourceType(r.Kind),
			Owner: r.Owner, LastUpdator: r.Owner, Schema: sluice.DefaultSchema, Size: r.Size,
			CreationTime: r.CreatedAt.UnixMilli(), LastModifiedTime: r.UpdatedAt.UnixMilli()})
	}
	return ok(ctx, data), nil
}
