package openlineage

import (
	"crypto/sha256"
	"encoding/binary"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// JobEvent is the OpenLineage event for a committed version: a JobEvent, the spec's "static
// lineage" (design-time) event. A commit declares what the script reads and writes; it is not a
// run, and a RunEvent would tell receivers that data moved when none did. Inputs, outputs and
// facets are sorted, so the same Version always gives the same event.
func JobEvent(v Version) Event {
	dsNS := v.DatasetNamespace
	if dsNS == "" {
		dsNS = DefaultDatasetNamespace
	}
	lineage := columnLineage(v.Columns, dsNS)

	inputs := tableSet(v.Inputs)
	outputs := tableSet(v.Outputs)
	// A column edge names its tables; a table that appears only there is still read or written,
	// and listing it keeps every column-lineage input a dataset of the same event.
	for _, e := range v.Columns {
		if t, _, ok := splitColumn(e.Target); ok {
			outputs[t] = struct{}{}
		}
		if t, _, ok := splitColumn(e.Source); ok {
			inputs[t] = struct{}{}
		}
	}

	return Event{
		EventTime: v.CommittedAt.UTC(),
		Job: Job{
			Namespace: jobNamespace(v),
			Name:      JobName(v.Project, v.Path, v.FileName),
			Facets:    jobFacets(v),
		},
		Inputs:    datasets(inputs, dsNS, v, nil),
		Outputs:   datasets(outputs, dsNS, v, lineage),
		Producer:  Producer,
		SchemaURL: jobEventSchemaURL,
	}
}

// RunEvent is JobEvent as a completed run, for receivers that ingest only RunEvents. Its runId
// is RunID(v), so sending the same version twice (a retried delivery, a re-export) names the
// same run rather than inventing a second one.
func RunEvent(v Version) Event {
	e := JobEvent(v)
	e.EventType = "COMPLETE"
	e.Run = &Run{RunID: RunID(v)}
	e.SchemaURL = runEventSchemaURL
	return e
}

// RunID is the deterministic run id of a version: a UUID version 7 whose timestamp is the commit
// time and whose other bits are a hash of the job namespace, project, file id and version. Being
// version 7, ids of later commits sort later, as OpenLineage's own clients' ids do; being derived,
// the id is the same on every retry and every export.
func RunID(v Version) string {
	h := sha256.New()
	for _, s := range []string{jobNamespace(v), v.Project, strconv.FormatInt(v.FileID, 10), strconv.Itoa(v.Version)} {
		h.Write([]byte(s))
		h.Write([]byte{0}) // keeps ("ab","c") and ("a","bc") apart
	}
	var id uuid.UUID
	copy(id[:], h.Sum(nil))
	ms := max(v.CommittedAt.UnixMilli(), 0)
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms))
	copy(id[0:6], ts[2:8]) // 48-bit millisecond timestamp
	id[6] = id[6]&0x0f | 0x70
	id[8] = id[8]&0x3f | 0x80
	return id.String()
}

// JobName is the job's name within its namespace: "<project>/<folder path>/<file name>". A file
// keeps its name across versions, so every version of it updates the same job; moving or
// renaming the file starts a new job, as renaming an Airflow task does.
func JobName(project, path, fileName string) string {
	parts := []string{project}
	if p := strings.Trim(path, "/"); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(append(parts, fileName), "/")
}

// DatasetName is the OpenLineage dataset name of a table guid: the guid without its "odps."
// prefix, "<project>.<table>" or "<project>.<schema>.<table>".
func DatasetName(tableGuid string) string { return strings.TrimPrefix(tableGuid, guidPrefix) }

func jobNamespace(v Version) string {
	if v.Namespace == "" {
		return DefaultNamespace
	}
	return v.Namespace
}

func jobFacets(v Version) JobFacets {
	f := JobFacets{
		JobType: &JobTypeFacet{
			BaseFacet:      base(jobTypeFacetURL),
			ProcessingType: "BATCH",
			Integration:    "SLUICE",
			JobType:        "QUERY",
		},
		Tags: &TagsFacet{BaseFacet: base(tagsFacetURL)},
	}
	if v.SQL != "" {
		f.SQL = &SQLFacet{BaseFacet: base(sqlFacetURL), Query: v.SQL, Dialect: v.Dialect}
	}
	// The facet's url must be an absolute URI; a link that is not one is left out rather than
	// making the whole event invalid.
	if u, err := url.Parse(v.SourceURL); err == nil && u.IsAbs() {
		f.SourceCodeLocation = &SourceCodeLocationFacet{
			BaseFacet: base(sourceCodeLocationFacetURL),
			Type:      "sluice",
			URL:       v.SourceURL,
			Path:      JobName(v.Project, v.Path, v.FileName),
			Version:   strconv.Itoa(v.Version),
		}
	}
	// The spec has no facet for "which commit of which file"; tags carry it so a receiver's UI
	// can show it and a reader can find the version in Sluice.
	tag := func(k, val string) {
		if val != "" {
			f.Tags.Tags = append(f.Tags.Tags, Tag{Key: k, Value: val, Source: "SLUICE"})
		}
	}
	tag("sluice.committer", v.Committer)
	tag("sluice.file_id", strconv.FormatInt(v.FileID, 10))
	tag("sluice.version", strconv.Itoa(v.Version))
	return f
}

func tableSet(guids []string) map[string]struct{} {
	s := make(map[string]struct{}, len(guids))
	for _, g := range guids {
		if g != "" {
			s[g] = struct{}{}
		}
	}
	return s
}

// datasets lists tables sorted by guid, with the facets known for each. lineage is nil for inputs.
func datasets(tables map[string]struct{}, ns string, v Version, lineage map[string]map[string]ColumnLineageField) []Dataset {
	guids := make([]string, 0, len(tables))
	for g := range tables {
		guids = append(guids, g)
	}
	slices.Sort(guids)
	out := make([]Dataset, 0, len(guids))
	for _, g := range guids {
		d := Dataset{Namespace: ns, Name: DatasetName(g)}
		var f DatasetFacets
		if fields := v.Schemas[g]; len(fields) > 0 {
			f.Schema = &SchemaFacet{BaseFacet: base(schemaFacetURL), Fields: make([]SchemaField, len(fields))}
			for i, c := range fields {
				f.Schema.Fields[i] = SchemaField{Name: c.Name, Type: c.Type, Description: c.Description, OrdinalPosition: i + 1}
			}
		}
		if slices.Contains(v.Views, g) {
			f.DatasetType = &DatasetTypeFacet{BaseFacet: base(datasetTypeFacetURL), DatasetType: "VIEW"}
		}
		if cols := lineage[g]; len(cols) > 0 {
			f.ColumnLineage = &ColumnLineageFacet{BaseFacet: base(columnLineageFacetURL), Fields: cols}
		}
		if f != (DatasetFacets{}) {
			d.Facets = &f
		}
		out = append(out, d)
	}
	return out
}

// transform is the OpenLineage transformation for a Sluice column lineage kind.
//
// All of Sluice's kinds describe where a value comes from, so all are DIRECT: direct is IDENTITY
// (the value passes unchanged; a CAST or rename included), aggregation is AGGREGATION, and
// expression is TRANSFORMATION, which also covers the CASE/IF conditions Sluice counts as sources
// (OpenLineage would call those INDIRECT CONDITIONAL, a distinction Sluice does not report). A
// constant has no source column, so it yields no input field at all; an unknown kind, or a
// constant that names a source anyway, is TRANSFORMATION, the subtype that claims least.
func transform(kind string) Transformation {
	switch kind {
	case KindDirect:
		return Transformation{Type: "DIRECT", Subtype: "IDENTITY"}
	case KindAggregation:
		return Transformation{Type: "DIRECT", Subtype: "AGGREGATION"}
	default:
		return Transformation{Type: "DIRECT", Subtype: "TRANSFORMATION"}
	}
}

// columnLineage groups the edges by output table and column. A target column whose edges all
// lack a source (a constant, count(*)) is listed with no input fields: it is still a column the
// script writes, and saying so tells a reader its value comes from no table.
func columnLineage(edges []ColumnEdge, ns string) map[string]map[string]ColumnLineageField {
	if len(edges) == 0 {
		return nil
	}
	out := map[string]map[string]ColumnLineageField{}
	for _, e := range edges {
		table, col, ok := splitColumn(e.Target)
		if !ok {
			continue
		}
		if out[table] == nil {
			out[table] = map[string]ColumnLineageField{}
		}
		f := out[table][col]
		if f.InputFields == nil {
			f.InputFields = []InputField{} // "inputFields" is required: [] rather than null
		}
		if st, sc, ok := splitColumn(e.Source); ok {
			f.InputFields = addInput(f.InputFields, InputField{Namespace: ns, Name: DatasetName(st), Field: sc}, transform(e.Kind))
		}
		out[table][col] = f
	}
	for _, cols := range out {
		for _, f := range cols {
			slices.SortFunc(f.InputFields, func(a, b InputField) int {
				return strings.Compare(a.Name+"\x00"+a.Field, b.Name+"\x00"+b.Field)
			})
		}
	}
	return out
}

// addInput adds one transformation of an input column, merging repeats of the same column (a
// UNION whose branches read it in different ways) into one input field.
func addInput(fields []InputField, in InputField, t Transformation) []InputField {
	for i := range fields {
		if fields[i].Name == in.Name && fields[i].Field == in.Field {
			if !slices.Contains(fields[i].Transformations, t) {
				fields[i].Transformations = append(fields[i].Transformations, t)
				slices.SortFunc(fields[i].Transformations, func(a, b Transformation) int {
					return strings.Compare(a.Type+"\x00"+a.Subtype, b.Type+"\x00"+b.Subtype)
				})
			}
			return fields
		}
	}
	in.Transformations = []Transformation{t}
	return append(fields, in)
}

// splitColumn splits a column guid odps.<project>.<table>.<column> into its table guid and
// column. Column names hold no dots, so the last dot is the split.
func splitColumn(guid string) (table, column string, ok bool) {
	i := strings.LastIndexByte(guid, '.')
	if i <= 0 || i == len(guid)-1 {
		return "", "", false
	}
	return guid[:i], guid[i+1:], true
}
