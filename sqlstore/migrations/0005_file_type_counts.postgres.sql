-- Files per project and type, kept by statement-level triggers (one update per statement and type, as for
-- file_counts), so that listing by FileTypes alone knows its total without counting the rows (a file's type
-- never changes after CreateFile).
CREATE TABLE file_type_counts (
    project_id BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    type       INTEGER NOT NULL,
    files      BIGINT  NOT NULL,
    PRIMARY KEY (project_id, type)
);
INSERT INTO file_type_counts (project_id, type, files) SELECT project_id, type, COUNT(*) FROM files GROUP BY project_id, type;
CREATE FUNCTION file_type_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO file_type_counts (project_id, type, files)
        SELECT project_id, type, COUNT(*) FROM new_rows GROUP BY project_id, type
        ON CONFLICT (project_id, type) DO UPDATE SET files = file_type_counts.files + excluded.files;
    RETURN NULL;
END $$;
CREATE FUNCTION file_type_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE file_type_counts c SET files = c.files - d.n
        FROM (SELECT project_id, type, COUNT(*) AS n FROM old_rows GROUP BY project_id, type) d
        WHERE c.project_id = d.project_id AND c.type = d.type;
    RETURN NULL;
END $$;
CREATE TRIGGER file_type_counts_insert AFTER INSERT ON files REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION file_type_counts_insert();
CREATE TRIGGER file_type_counts_delete AFTER DELETE ON files REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION file_type_counts_delete();
-- Listing by FileTypes alone walks one type in id order, so pages need no sort of all its files.
CREATE INDEX files_project_type_id ON files (project_id, type, id);
