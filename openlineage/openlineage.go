// Package openlineage turns one committed version of a Sluice script into OpenLineage events and
// delivers them to an OpenLineage HTTP receiver (Marquez, DataHub, ...).
//
// The builder (JobEvent, RunEvent) is pure: it takes a Version, which describes the committed
// version with plain values so that this package depends on no other Sluice package, and returns
// the same event for the same Version every time. The emitter (Client) only moves bytes and
// classifies failures; retrying is the caller's job, because the caller (a durable job) is what
// survives a restart. docs/openlineage.md describes what is emitted and how to wire it.
package openlineage

import "time"

// Spec versions of the OpenLineage schemas the events are written against. Each facet carries its
// own schema URL because facets are versioned independently of the core spec.
const (
	// SpecVersion is the core spec (https://openlineage.io/spec/2-0-2/OpenLineage.json). 2-0-2 is
	// the first core spec with JobEvent, the static-lineage event this package emits by default.
	SpecVersion = "2-0-2"

	specURL = "https://openlineage.io/spec/" + SpecVersion + "/OpenLineage.json"

	jobEventSchemaURL = specURL + "#/$defs/JobEvent"
	runEventSchemaURL = specURL + "#/$defs/RunEvent"

	sqlFacetURL                = "https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet"
	jobTypeFacetURL            = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
	sourceCodeLocationFacetURL = "https://openlineage.io/spec/facets/1-1-0/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet"
	tagsFacetURL               = "https://openlineage.io/spec/facets/1-0-0/TagsJobFacet.json#/$defs/TagsJobFacet"
	schemaFacetURL             = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
	columnLineageFacetURL      = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
	datasetTypeFacetURL        = "https://openlineage.io/spec/facets/1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet"
)

// Producer is the URI every event and facet names as its producer.
const Producer = "https://github.com/sluice-dev/sluice"

// Defaults used when a Version leaves the corresponding field empty.
const (
	// DefaultNamespace is the job namespace when Version.Namespace is empty.
	DefaultNamespace = "sluice"
	// DefaultDatasetNamespace is the dataset namespace of MaxCompute tables. OpenLineage's naming
	// conventions have no MaxCompute entry; the closest is BigQuery's constant "bigquery" with
	// names "{project}.{dataset}.{table}", and MaxCompute likewise qualifies a table by its
	// project alone, so the name "<project>.<table>" is what tells tables apart.
	DefaultDatasetNamespace = "maxcompute"
)

// Column lineage kinds, as Sluice's column lineage reports them (ColumnEdge.Kind).
const (
	KindDirect      = "direct"
	KindExpression  = "expression"
	KindAggregation = "aggregation"
	KindConstant    = "constant"
)

// guidPrefix is the data-source prefix of the MaxCompute table and column guids in a Version.
const guidPrefix = "odps."

// Version is one committed version of a script file, with the lineage parsed from it.
type Version struct {
	// Namespace is the job namespace: which Sluice deployment the job lives in, as the operator
	// configures it (e.g. "sluice-prod"). Empty means DefaultNamespace.
	Namespace string
	// DatasetNamespace is the namespace of every table; empty means DefaultDatasetNamespace.
	// Set it (e.g. "maxcompute://service.cn-shanghai.maxcompute.aliyun.com") to keep the tables
	// of two deployments apart, or to match what another producer says of the same tables.
	DatasetNamespace string

	Project     string    // the Sluice project, which is the MaxCompute project
	FileID      int64     // the file's id, stable across renames and moves
	FileName    string    // e.g. "dws_orders"
	Path        string    // the file's folder, without its root segment (e.g. "sales/MaxCompute/dws"); "" at the project root
	Version     int       // the committed version number, from 1
	Committer   string    // who committed it (user id)
	CommittedAt time.Time // when; the event time
	SQL         string    // the committed script
	Dialect     string    // e.g. "odps", "hive", "spark"; "" when unknown
	SourceURL   string    // where a person can read this version (a console link); "" to leave it out

	// Inputs and Outputs are table guids, odps.<project>.<table> or odps.<project>.<schema>.<table>.
	Inputs  []string
	Outputs []string
	// Views are the guids, among Inputs and Outputs, that name views rather than tables.
	Views []string
	// Columns is the column lineage of the version; empty when it was not parsed.
	Columns []ColumnEdge
	// Schemas are the known columns of tables, keyed by table guid, in table order.
	Schemas map[string][]Field
}

// ColumnEdge is one edge of column lineage: Target's value comes from Source. Both are column
// guids, odps.<project>.<table>.<column>. Source is "" when the target has no source column
// (a constant, count(*), row_number()).
type ColumnEdge struct {
	Target string
	Source string
	Kind   string // KindDirect, KindExpression, KindAggregation or KindConstant
}

// Field is one column of a table's schema.
type Field struct {
	Name        string
	Type        string
	Description string
}
