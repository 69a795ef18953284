package openlineage

import (
	"bytes"
	"encoding/json"
	"time"
)

// Event is an OpenLineage JobEvent or RunEvent; the two differ only in EventType and Run, which a
// JobEvent leaves out (the spec forbids a run in a JobEvent). Fields are in the spec's order so
// that the JSON reads like the spec's examples.
type Event struct {
	EventType string    `json:"eventType,omitempty"` // RunEvent only: "COMPLETE"
	EventTime time.Time `json:"eventTime"`
	Run       *Run      `json:"run,omitempty"` // RunEvent only
	Job       Job       `json:"job"`
	Inputs    []Dataset `json:"inputs"`
	Outputs   []Dataset `json:"outputs"`
	Producer  string    `json:"producer"`
	SchemaURL string    `json:"schemaURL"`
}

// Run identifies the run of a RunEvent.
type Run struct {
	RunID string `json:"runId"`
}

// Job is the script file, the same job for every version of it.
type Job struct {
	Namespace string    `json:"namespace"`
	Name      string    `json:"name"`
	Facets    JobFacets `json:"facets"`
}

// JobFacets are the job facets Sluice emits.
type JobFacets struct {
	JobType            *JobTypeFacet            `json:"jobType,omitempty"`
	SourceCodeLocation *SourceCodeLocationFacet `json:"sourceCodeLocation,omitempty"`
	SQL                *SQLFacet                `json:"sql,omitempty"`
	Tags               *TagsFacet               `json:"tags,omitempty"`
}

// BaseFacet is what every facet carries: who produced it and the schema it follows.
type BaseFacet struct {
	Producer  string `json:"_producer"`
	SchemaURL string `json:"_schemaURL"`
}

func base(schemaURL string) BaseFacet { return BaseFacet{Producer: Producer, SchemaURL: schemaURL} }

// JobTypeFacet is the jobType job facet.
type JobTypeFacet struct {
	BaseFacet
	ProcessingType string `json:"processingType"`
	Integration    string `json:"integration"`
	JobType        string `json:"jobType,omitempty"`
}

// SourceCodeLocationFacet is the sourceCodeLocation job facet.
type SourceCodeLocationFacet struct {
	BaseFacet
	Type    string `json:"type"`
	URL     string `json:"url"`
	Path    string `json:"path,omitempty"`
	Version string `json:"version,omitempty"`
}

// SQLFacet is the sql job facet.
type SQLFacet struct {
	BaseFacet
	Query   string `json:"query"`
	Dialect string `json:"dialect,omitempty"`
}

// TagsFacet is the tags job facet.
type TagsFacet struct {
	BaseFacet
	Tags []Tag `json:"tags"`
}

// Tag is one key/value of the tags facet.
type Tag struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

// Dataset is a table read or written by the job.
type Dataset struct {
	Namespace string         `json:"namespace"`
	Name      string         `json:"name"`
	Facets    *DatasetFacets `json:"facets,omitempty"`
}

// DatasetFacets are the dataset facets Sluice emits.
type DatasetFacets struct {
	ColumnLineage *ColumnLineageFacet `json:"columnLineage,omitempty"`
	DatasetType   *DatasetTypeFacet   `json:"datasetType,omitempty"`
	Schema        *SchemaFacet        `json:"schema,omitempty"`
}

// SchemaFacet is the schema dataset facet.
type SchemaFacet struct {
	BaseFacet
	Fields []SchemaField `json:"fields"`
}

// SchemaField is one column of the schema facet.
type SchemaField struct {
	Name            string `json:"name"`
	Type            string `json:"type,omitempty"`
	Description     string `json:"description,omitempty"`
	OrdinalPosition int    `json:"ordinal_position"`
}

// DatasetTypeFacet is the datasetType dataset facet.
type DatasetTypeFacet struct {
	BaseFacet
	DatasetType string `json:"datasetType"`
}

// ColumnLineageFacet is the columnLineage dataset facet of an output table.
type ColumnLineageFacet struct {
	BaseFacet
	// Fields is keyed by the output column; encoding/json writes map keys sorted, which keeps
	// the output deterministic.
	Fields map[string]ColumnLineageField `json:"fields"`
}

// ColumnLineageField is the lineage of one output column.
type ColumnLineageField struct {
	InputFields []InputField `json:"inputFields"`
}

// InputField is one input column an output column depends on.
type InputField struct {
	Namespace       string           `json:"namespace"`
	Name            string           `json:"name"`
	Field           string           `json:"field"`
	Transformations []Transformation `json:"transformations"`
}

// Transformation says how an input column reaches an output column.
type Transformation struct {
	Type    string `json:"type"`    // DIRECT or INDIRECT
	Subtype string `json:"subtype"` // IDENTITY, TRANSFORMATION, AGGREGATION, ...
}

// Marshal encodes an event as one line of JSON without a trailing newline. SQL is full of <, >
// and &, which encoding/json would otherwise escape as \u003c...: valid, but unreadable in a
// receiver's UI and in an export file.
func Marshal(e Event) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
