-- Console sign-in: password hashes, sessions, failed sign-ins. Times are integer milliseconds (UTC).
-- A user without a password (NULL) cannot sign in to the console; access keys are unaffected.
ALTER TABLE users ADD COLUMN password_hash BLOB;

-- A session's id is the hex SHA-256 of the browser's token: a copy of the database signs nobody in.
CREATE TABLE console_sessions (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
-- A password change ends a user's sessions; the maintenance loop purges by end and by last use.
CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
CREATE INDEX console_sessions_seen ON console_sessions (seen_at);

-- One row per failed sign-in and key ("user:NAME", "addr:ADDRESS"): throttling counts a key's rows in a
-- window, which the index answers as one range.
CREATE TABLE signin_failures (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT    NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key, at);
CREATE INDEX signin_failures_at ON signin_failures (at);
