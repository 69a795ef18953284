-- Table lineage. Every committed version of a SQL file records the table guids it reads ('in') and writes
-- ('out'); what is current is decided at query time by joining the version a node runs (nodes.file_version),
-- so a re-commit replaces a file's lineage and a deleted file (no node) drops out without rewriting edges.
CREATE TABLE version_lineage (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_id    BIGINT NOT NULL,
    version    INTEGER NOT NULL,
    direction  TEXT COLLATE "C" NOT NULL CHECK (direction IN ('in', 'out')),
    guid       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (file_id, version, direction, guid)
);
-- Producing tasks and one-hop lineage start from a table: (guid, direction) and then the version's node.
CREATE INDEX version_lineage_guid ON version_lineage (guid, direction, file_id, version);
CREATE INDEX version_lineage_project ON version_lineage (project_id);

-- Whether a version was parsed, in which dialect, and the statements the parser did not understand (JSON).
CREATE TABLE version_lineage_reports (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_id    BIGINT NOT NULL,
    version    INTEGER NOT NULL,
    parsed     BOOLEAN NOT NULL,
    dialect    TEXT COLLATE "C" NOT NULL,
    errors     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (file_id, version)
);
CREATE INDEX version_lineage_reports_project ON version_lineage_reports (project_id);

-- A project's catalogue: every table its committed files or manual relations named.
CREATE TABLE lineage_tables (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    guid       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, guid)
);
CREATE INDEX lineage_tables_guid ON lineage_tables (guid, project_id);

-- Manually registered table-to-table edges (RegisterLineageRelation).
CREATE TABLE lineage_relations (
    guid       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    src        TEXT COLLATE "C" NOT NULL,
    dest       TEXT COLLATE "C" NOT NULL,
    type       TEXT COLLATE "C" NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (src, dest)
);
CREATE INDEX lineage_relations_dest ON lineage_relations (dest, src);
CREATE INDEX lineage_relations_project ON lineage_relations (project_id);

-- Parents and children of a node join a file's current version to other files' nodes.
CREATE INDEX nodes_file_version ON nodes (file_id, env, file_version);
