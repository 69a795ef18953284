-- Keyword search on file names with exact totals: an inverted index of name trigrams that the store keeps
-- itself. One row per distinct trigram of each file's lower(name), carrying that lowered name, so that a
-- keyword's matches in a project are an index-only range of its rarest trigram, checked by LIKE on the name
-- held in the index: the count never visits files. (pg_trgm's GIN index cannot count without rechecking
-- every candidate's row in files.) See docs/files-scale.md.
--
-- lower() is applied to the name with its column's collation ("C"), exactly as the keyword filter
-- lower(f.name) LIKE lower(?) did, so the answers stay what they were.
--
-- Written so that running it again on a store that has it is harmless: it rebuilds both tables from files.
CREATE TABLE IF NOT EXISTS file_grams (
    project_id BIGINT NOT NULL,
    gram       TEXT COLLATE "C" NOT NULL,
    file_id    BIGINT NOT NULL,
    lname      TEXT COLLATE "C" NOT NULL
);
-- The trigram counts that pick a keyword's rarest trigram come from the planner's statistics on gram
-- (pg_stats.most_common_vals); a large target lets them cover the whole vocabulary of common trigrams.
ALTER TABLE file_grams ALTER COLUMN gram SET STATISTICS 10000;

-- How many of a project's names hold each trigram: the exact total of a three-character keyword without
-- reading its matches. Rows are deltas, appended by the triggers below (no row is updated, so concurrent
-- writers never wait on a counter); a trigram's count is the sum of its rows, and compaction (see
-- compactGramCounts in sqlstore/file_trigram.go) folds them into one row per project and trigram in a single
-- statement, so every snapshot sums to the same exact count.
CREATE TABLE IF NOT EXISTS file_gram_counts (
    project_id BIGINT NOT NULL,
    gram       TEXT COLLATE "C" NOT NULL,
    files      BIGINT NOT NULL
);

-- Kept by triggers in the transaction that changes files, so both tables are exact for every snapshot.
-- Inserts and deletes are statement-level (one pass per statement, cascades from projects included);
-- a rename is row-level, and fires only when the name changes (commits and edits of content do not). The
-- counts are taken from the rows actually inserted and deleted (RETURNING), so they agree by construction.
CREATE OR REPLACE FUNCTION file_grams_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH g AS (
        INSERT INTO file_grams (project_id, gram, file_id, lname)
            SELECT n.project_id, g.gram, n.id, n.lname
            FROM (SELECT project_id, id, lower(name COLLATE "C") AS lname FROM new_rows) n,
                LATERAL (SELECT DISTINCT substr(n.lname, i, 3) AS gram FROM generate_series(1, char_length(n.lname) - 2) i) g
            RETURNING project_id, gram)
    INSERT INTO file_gram_counts (project_id, gram, files) SELECT project_id, gram, COUNT(*) FROM g GROUP BY project_id, gram;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION file_grams_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH g AS (
        DELETE FROM file_grams g
            USING (SELECT o.project_id, o.id, substr(o.lname, i, 3) AS gram
                FROM (SELECT project_id, id, lower(name COLLATE "C") AS lname FROM old_rows) o,
                    generate_series(1, char_length(o.lname) - 2) i) d
            WHERE g.project_id = d.project_id AND g.gram = d.gram AND g.file_id = d.id
            RETURNING g.project_id, g.gram)
    INSERT INTO file_gram_counts (project_id, gram, files) SELECT project_id, gram, -COUNT(*) FROM g GROUP BY project_id, gram;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION file_grams_rename() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_l text := lower(OLD.name COLLATE "C");
    new_l text := lower(NEW.name COLLATE "C");
BEGIN
    WITH gone AS (
        DELETE FROM file_grams WHERE project_id = OLD.project_id AND file_id = OLD.id
            AND gram IN (SELECT substr(old_l, i, 3) FROM generate_series(1, char_length(old_l) - 2) i)
            RETURNING project_id, gram, -1 AS n),
    came AS (
        INSERT INTO file_grams (project_id, gram, file_id, lname)
            SELECT DISTINCT NEW.project_id, substr(new_l, i, 3), NEW.id, new_l FROM generate_series(1, char_length(new_l) - 2) i
            RETURNING project_id, gram, 1 AS n)
    INSERT INTO file_gram_counts (project_id, gram, files)
        SELECT project_id, gram, SUM(n) FROM (SELECT * FROM gone UNION ALL SELECT * FROM came) c
        GROUP BY project_id, gram HAVING SUM(n) <> 0;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS file_grams_insert ON files;
DROP TRIGGER IF EXISTS file_grams_delete ON files;
DROP TRIGGER IF EXISTS file_grams_rename ON files;
CREATE TRIGGER file_grams_insert AFTER INSERT ON files REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION file_grams_insert();
CREATE TRIGGER file_grams_delete AFTER DELETE ON files REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION file_grams_delete();
CREATE TRIGGER file_grams_rename AFTER UPDATE OF name, project_id ON files FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION file_grams_rename();

-- The files already there; the indexes are built after them.
DROP INDEX IF EXISTS file_grams_lookup;
DROP INDEX IF EXISTS file_gram_counts_gram;
TRUNCATE file_grams, file_gram_counts;
INSERT INTO file_grams (project_id, gram, file_id, lname)
    SELECT n.project_id, g.gram, n.id, n.lname
    FROM (SELECT project_id, id, lower(name COLLATE "C") AS lname FROM files) n,
        LATERAL (SELECT DISTINCT substr(n.lname, i, 3) AS gram FROM generate_series(1, char_length(n.lname) - 2) i) g;
INSERT INTO file_gram_counts (project_id, gram, files) SELECT project_id, gram, COUNT(*) FROM file_grams GROUP BY project_id, gram;
-- A project's matches of a trigram in id order, each with its name: count and page are index-only scans.
CREATE INDEX file_grams_lookup ON file_grams (project_id, gram, file_id) INCLUDE (lname);
CREATE INDEX file_gram_counts_gram ON file_gram_counts (project_id, gram) INCLUDE (files);
ANALYZE file_grams;

-- The pg_trgm index served only the keyword filter, which file_grams now answers.
DROP INDEX IF EXISTS files_name_trgm;
