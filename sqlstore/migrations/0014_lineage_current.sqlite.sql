-- Table lineage current in DEV and in PROD, kept on the rows as column lineage keeps it (0010). Joining every
-- version of a table's files to their nodes made a table's producers, neighbours and graph cost one node
-- lookup per version ever committed: a file committed a thousand times was read a thousand times for every
-- question about a table it names. The flags mark the rows of the version each file's node of that
-- environment runs, moved in the transaction that moves, publishes or deletes the node (moveCurrentLineage),
-- so a table's current files are one range of a partial index, however long its history.
ALTER TABLE version_lineage ADD COLUMN dev_current INTEGER NOT NULL DEFAULT 0;
ALTER TABLE version_lineage ADD COLUMN prod_current INTEGER NOT NULL DEFAULT 0;
UPDATE version_lineage SET dev_current = 1 WHERE EXISTS (SELECT 1 FROM nodes n
    WHERE n.file_id = version_lineage.file_id AND n.env = 'DEV' AND n.file_version = version_lineage.version);
UPDATE version_lineage SET prod_current = 1 WHERE EXISTS (SELECT 1 FROM nodes n
    WHERE n.file_id = version_lineage.file_id AND n.env = 'PROD' AND n.file_version = version_lineage.version);
-- SQLite reads an index alone only if it holds every column the query names, the flag included.
CREATE INDEX version_lineage_dev ON version_lineage (guid, direction, file_id, version, dev_current) WHERE dev_current;
CREATE INDEX version_lineage_prod ON version_lineage (guid, direction, file_id, version, prod_current) WHERE prod_current;
-- The index of every version's rows by table (0003) stays: lineage as of a version reads versions no node runs.
