-- Table lineage current in DEV and in PROD, kept on the rows as column lineage keeps it (0010). Joining every
-- version of a table's files to their nodes made a table's producers, neighbours and graph cost one node
-- lookup per version ever committed: a file committed a thousand times was read a thousand times for every
-- question about a table it names. The flags mark the rows of the version each file's node of that
-- environment runs, moved in the transaction that moves, publishes or deletes the node (moveCurrentLineage),
-- so a table's current files are one range of a partial index, however long its history.
ALTER TABLE version_lineage ADD COLUMN dev_current BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE version_lineage ADD COLUMN prod_current BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE version_lineage l SET dev_current = TRUE FROM nodes n
    WHERE n.file_id = l.file_id AND n.env = 'DEV' AND n.file_version = l.version;
UPDATE version_lineage l SET prod_current = TRUE FROM nodes n
    WHERE n.file_id = l.file_id AND n.env = 'PROD' AND n.file_version = l.version;
CREATE INDEX version_lineage_dev ON version_lineage (guid, direction, file_id, version) WHERE dev_current;
CREATE INDEX version_lineage_prod ON version_lineage (guid, direction, file_id, version) WHERE prod_current;
-- The index of every version's rows by table (0003) stays: lineage as of a version reads versions no node runs.
