-- Column lineage current in DEV, kept on the edge rows. Joining every edge to its file's DEV node made a
-- column read by thousands of files cost thousands of node lookups per page and per exact count; the flag
-- marks the edges of the version each file's DEV node runs, and is moved in the transaction that moves or
-- deletes the node (see moveCurrentLineage), so a column's current neighbours are one range of a partial index.
ALTER TABLE version_column_lineage ADD COLUMN dev_current BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE version_column_lineage e SET dev_current = TRUE FROM nodes n
    WHERE n.file_id = e.file_id AND n.env = 'DEV' AND n.file_version = e.version;
-- A page of a column's neighbours in one project is a range in neighbour order, its exact count the same range
-- again, both read from the index alone; the table's columns are a range of the first column (RelationCount).
CREATE INDEX version_column_lineage_dev_source ON version_column_lineage (source, project_id, target, kind) WHERE dev_current;
CREATE INDEX version_column_lineage_dev_target ON version_column_lineage (target, project_id, source, kind) WHERE dev_current;
-- The indexes of every version's edges by column (0009) stay: a graph as of a time, and the version lineage of
-- a file, read edges of versions that are no longer current.
