-- The version a file runs in PROD. A deployment moves the mark from the version deployed before to the new
-- one; written as one update of every version of the file, its cost grew with the file's history (a file
-- committed a thousand times rewrote a thousand rows per deployment). The partial index finds the one marked.
CREATE INDEX file_versions_current_prod ON file_versions (file_id) WHERE is_current_prod;
