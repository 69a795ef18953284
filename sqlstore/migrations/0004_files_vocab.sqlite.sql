-- The trigram vocabulary of file names with each trigram's document count, read (and cached) to pick the
-- rarest trigrams of a long keyword; see trigramStats in sqlstore/file_trigram.go.
CREATE VIRTUAL TABLE files_vocab USING fts5vocab (files_fts, 'row');
