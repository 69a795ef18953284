-- Files per project and type, kept by triggers, so that listing by FileTypes alone knows its total without
-- counting the rows (a file's type never changes after CreateFile).
CREATE TABLE file_type_counts (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    type       INTEGER NOT NULL,
    files      INTEGER NOT NULL,
    PRIMARY KEY (project_id, type)
) WITHOUT ROWID;
INSERT INTO file_type_counts (project_id, type, files) SELECT project_id, type, COUNT(*) FROM files GROUP BY project_id, type;
CREATE TRIGGER file_type_counts_insert AFTER INSERT ON files BEGIN
    INSERT INTO file_type_counts (project_id, type, files) VALUES (new.project_id, new.type, 1)
        ON CONFLICT (project_id, type) DO UPDATE SET files = files + 1;
END;
CREATE TRIGGER file_type_counts_delete AFTER DELETE ON files BEGIN
    UPDATE file_type_counts SET files = files - 1 WHERE project_id = old.project_id AND type = old.type;
END;
-- Listing by FileTypes alone walks one type in id order, so pages need no sort of all its files.
CREATE INDEX files_project_type_id ON files (project_id, type, id);
-- Fresh statistics, so the planner weighs the new index rightly against files_project (id order).
ANALYZE files;
