-- The audit log: one row per change, written in the change's own transaction. Times are integer
-- milliseconds (UTC). Rows keep names beside ids so the log still reads after a user or project is gone:
-- no foreign keys, nothing cascades.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            INTEGER NOT NULL,
    account_id    INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    user_name     TEXT    NOT NULL,
    access_key_id TEXT    NOT NULL,
    request_id    TEXT    NOT NULL,
    operation     TEXT    NOT NULL,
    project_id    INTEGER NOT NULL,
    project_name  TEXT    NOT NULL,
    object_kind   TEXT    NOT NULL,
    object_name   TEXT    NOT NULL,
    object_id     TEXT    NOT NULL,
    detail        TEXT    NOT NULL
);
-- Reads are newest first (by id) within an account or a project, optionally by user or operation.
CREATE INDEX audit_log_account ON audit_log (account_id, id);
CREATE INDEX audit_log_project ON audit_log (project_id, id);
CREATE INDEX audit_log_user ON audit_log (user_name, id);
CREATE INDEX audit_log_operation ON audit_log (operation, id);
CREATE INDEX audit_log_at ON audit_log (at);
