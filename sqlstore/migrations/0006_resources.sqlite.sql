-- The resource centre: groups and their resources (jar, pyFile, file, modelFile), whose bytes live in the
-- blob store under blob_key; and the jobs that copy those bytes in, claimed by any server with a lease.
CREATE TABLE resource_groups (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    owner      TEXT    NOT NULL,
    async      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, name)
) WITHOUT ROWID;

-- group_name '' is an ungrouped resource; a grouped one's group row exists while it does.
CREATE TABLE resources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    group_name      TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    underlying_name TEXT    NOT NULL,
    owner           TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    async           INTEGER NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    blob_key        TEXT    NOT NULL,
    tags            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX resources_name ON resources (project_id, group_name, name);
CREATE INDEX resources_blob_key ON resources (blob_key);

-- Every change of a project's resources bumps its version, so that a listing read at a version can be
-- reused, on any server, until the version moves.
CREATE TABLE resource_versions (
    project_id INTEGER NOT NULL PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL
);

-- A job is free when lease_until is in the past; claiming it sets lease_owner and lease_until.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    lease_owner TEXT    NOT NULL,
    lease_until INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX jobs_lease ON jobs (lease_until, id);
