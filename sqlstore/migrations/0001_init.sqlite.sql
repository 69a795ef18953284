-- Identity, projects, membership, replay protection, settings. Times are integer milliseconds (UTC).
CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    name       TEXT    NOT NULL UNIQUE,
    role       TEXT    NOT NULL CHECK (role IN ('root', 'admin', 'member')),
    created_at INTEGER NOT NULL
);
-- One root user per server, even when two servers bootstrap one database at once.
CREATE UNIQUE INDEX users_one_root ON users (role) WHERE role = 'root';

CREATE TABLE access_keys (
    id            TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret BLOB    NOT NULL,
    enabled       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX access_keys_user ON access_keys (user_id);

CREATE TABLE projects (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    uuid         TEXT    NOT NULL UNIQUE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    owner_id     INTEGER NOT NULL REFERENCES users (id),
    display_name TEXT    NOT NULL,
    comment      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
-- DataWorks project ids are five digits and up.
INSERT INTO sqlite_sequence (name, seq) VALUES ('projects', 9999);

CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id, project_id);

CREATE TABLE nonces (
    key        TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX nonces_expiry ON nonces (expires_at);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
