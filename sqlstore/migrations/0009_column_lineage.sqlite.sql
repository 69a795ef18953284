-- Column lineage. Every committed version records, for each column it writes (target), the columns its value
-- comes from (source; '' for a constant) and how (kind). As with version_lineage, what is current is decided
-- at query time by joining the version a node runs, so a re-commit replaces and a deleted file drops out
-- without rewriting edges.
CREATE TABLE version_column_lineage (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    target     TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    PRIMARY KEY (file_id, version, target, source)
) WITHOUT ROWID;
-- Upstream starts from a target column, downstream from a source column; the version then leads to its node.
-- Both carry the other end and the kind, so one hop reads the index alone. A table's columns are a range of
-- either (GetMetaTableColumn's RelationCount).
CREATE INDEX version_column_lineage_target ON version_column_lineage (target, file_id, version, source, kind);
CREATE INDEX version_column_lineage_source ON version_column_lineage (source, file_id, version, target, kind);
CREATE INDEX version_column_lineage_project ON version_column_lineage (project_id);
