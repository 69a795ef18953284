-- Data development: workflows, folders, files (drafts), their committed versions, scheduler nodes and the
-- deployments that moved versions between environments. Everything cascades from its project.
CREATE TABLE workflows (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    use_type    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (project_id, name)
);
-- DataWorks business ids are six digits and up.
INSERT INTO sqlite_sequence (name, seq) VALUES ('workflows', 99999);

-- A folder's key is its path without the root segment ("sales/MaxCompute/ods"); parent_key is the key
-- without the last segment, and '' for a top-level kind folder ("sales/MaxCompute"), whose parent is the workflow.
CREATE TABLE folders (
    id          TEXT    NOT NULL PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    workflow_id INTEGER NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    parent_key  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (project_id, key)
);
CREATE INDEX folders_parent ON folders (project_id, parent_key, path);
CREATE INDEX folders_workflow ON folders (workflow_id);

-- folder_id is '' at the project's root, so (project, folder, name) is unique there too. Listing is by id,
-- and each index ends in id so that a filtered page is an ordered index range.
CREATE TABLE files (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id        INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    workflow_id       INTEGER NOT NULL,
    folder_id         TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    type              INTEGER NOT NULL,
    description       TEXT    NOT NULL,
    content           TEXT    NOT NULL,
    owner             TEXT    NOT NULL,
    create_user       TEXT    NOT NULL,
    last_edit_user    TEXT    NOT NULL,
    connection_name   TEXT    NOT NULL,
    auto_parsing      INTEGER NOT NULL,
    use_type          TEXT    NOT NULL,
    advanced_settings TEXT    NOT NULL,
    commit_status     INTEGER NOT NULL,
    current_version   INTEGER NOT NULL,
    node_id           INTEGER NOT NULL,
    parent_id         INTEGER NOT NULL,
    schedule          TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
-- DataWorks file ids are nine digits and up.
INSERT INTO sqlite_sequence (name, seq) VALUES ('files', 99999999);
CREATE INDEX files_project ON files (project_id, id);
CREATE UNIQUE INDEX files_folder_name ON files (project_id, folder_id, name);
CREATE INDEX files_folder ON files (project_id, folder_id, id);
CREATE INDEX files_type_owner ON files (project_id, type, owner, id);
CREATE INDEX files_owner ON files (project_id, owner, id);
CREATE INDEX files_name ON files (project_id, name);
CREATE INDEX files_editor ON files (project_id, last_edit_user, id);
CREATE INDEX files_node ON files (project_id, node_id);
CREATE INDEX files_workflow ON files (workflow_id);

-- How many files each project holds, kept by triggers: the TotalCount of an unfiltered listing, and what
-- decides how a keyword's matches are counted (see FindFiles).
CREATE TABLE file_counts (
    project_id INTEGER NOT NULL PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    files      INTEGER NOT NULL
);
CREATE TRIGGER file_counts_insert AFTER INSERT ON files BEGIN
    INSERT INTO file_counts (project_id, files) VALUES (new.project_id, 1)
        ON CONFLICT (project_id) DO UPDATE SET files = files + 1;
END;
CREATE TRIGGER file_counts_delete AFTER DELETE ON files BEGIN
    UPDATE file_counts SET files = files - 1 WHERE project_id = old.project_id;
END;

-- Substring search on names: an FTS5 trigram index over files.name (external content, kept in step by the
-- triggers below). The trigram tokenizer folds case.
CREATE VIRTUAL TABLE files_fts USING fts5 (name, content = 'files', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER files_fts_insert AFTER INSERT ON files BEGIN
    INSERT INTO files_fts (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER files_fts_delete AFTER DELETE ON files BEGIN
    INSERT INTO files_fts (files_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER files_fts_update AFTER UPDATE OF name ON files BEGIN
    INSERT INTO files_fts (files_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO files_fts (rowid, name) VALUES (new.id, new.name);
END;

-- Versions outlive their file's draft (a deleted file's history stays readable), so they hang off the project.
CREATE TABLE file_versions (
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_id          INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    content          TEXT    NOT NULL,
    property_content TEXT    NOT NULL,
    node_content     TEXT    NOT NULL,
    node_id          INTEGER NOT NULL,
    commit_user      TEXT    NOT NULL,
    commit_time      INTEGER NOT NULL,
    comment          TEXT    NOT NULL,
    change_type      TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    is_current_prod  INTEGER NOT NULL,
    use_type         TEXT    NOT NULL,
    PRIMARY KEY (file_id, version)
);
CREATE INDEX file_versions_project ON file_versions (project_id);

-- Node ids come from their own sequence: DataWorks node ids are twelve digits.
CREATE TABLE node_ids (id INTEGER PRIMARY KEY AUTOINCREMENT);
INSERT INTO sqlite_sequence (name, seq) VALUES ('node_ids', 700000000000);

CREATE TABLE nodes (
    id             INTEGER NOT NULL,
    env            TEXT    NOT NULL CHECK (env IN ('DEV', 'PROD')),
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_id        INTEGER NOT NULL,
    file_version   INTEGER NOT NULL,
    workflow_id    INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    file_type      INTEGER NOT NULL,
    owner          TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    scheduler_type TEXT    NOT NULL,
    schedule       TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (id, env)
);
CREATE INDEX nodes_project ON nodes (project_id, env, id);
CREATE INDEX nodes_file ON nodes (file_id);

CREATE TABLE deployments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    creator       TEXT    NOT NULL,
    handler       TEXT    NOT NULL,
    from_env      INTEGER NOT NULL,
    to_env        INTEGER NOT NULL,
    error_message TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    executed_at   INTEGER NOT NULL
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('deployments', 9999999);
CREATE INDEX deployments_project ON deployments (project_id, id);

CREATE TABLE deployment_items (
    deployment_id INTEGER NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    file_id       INTEGER NOT NULL,
    file_version  INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    PRIMARY KEY (deployment_id, file_id)
);
