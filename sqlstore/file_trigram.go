package sqlstore

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// trigramStats caches how many file names hold each trigram: SQLite's files_vocab, exact; on PostgreSQL the
// planner's statistics on file_grams.gram (most common trigrams and their frequencies, kept by ANALYZE), an
// estimate where a trigram they leave out is rarer than any they list. A long keyword's candidates come from
// its rarest trigrams, and on SQLite the rarest one bounds how many there can be. The counts only
// steer the plan — the trigram index and a LIKE on the name decide what matches — so stale counts cost time,
// never a wrong answer. Reading the whole vocabulary costs about a second at a million files, so it is
// never done on a request's path: the first keyword query starts a load in the background and is planned
// without counts, and the counts are reloaded in the background once older than trigramStatsTTL.
type trigramStats struct {
	mu       sync.RWMutex
	docs     map[string]int
	loadedAt time.Time
	loading  atomic.Bool

	compacting  atomic.Bool  // PostgreSQL's file_gram_counts: a compaction is running
	compactedAt atomic.Int64 // and when the last one started, Unix nanoseconds
}

// trigramStatsTTL is how old the cached counts may grow before a reload starts.
const trigramStatsTTL = 10 * time.Minute

// trigramDocs returns the cached counts, or nil while none are loaded; either way it never waits.
func (db *DB) trigramDocs() map[string]int {
	s := &db.trigrams
	s.mu.RLock()
	docs, loadedAt := s.docs, s.loadedAt
	s.mu.RUnlock()
	if (docs == nil || time.Since(loadedAt) > trigramStatsTTL) && s.loading.CompareAndSwap(false, true) {
		go func() {
			defer s.loading.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			db.loadTrigramDocs(ctx) // on failure the next query tries again
		}()
	}
	return docs
}

func (db *DB) loadTrigramDocs(ctx context.Context) error {
	query := "SELECT term, doc FROM files_vocab"
	if db.dialect == Postgres {
		query = `SELECT u.gram, (u.freq * GREATEST(c.reltuples, 0))::bigint
			FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
				JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname,
				unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS u(gram, freq)
			WHERE s.schemaname = current_schema() AND s.tablename = 'file_grams' AND s.attname = 'gram'`
	}
	rows, err := db.r.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	docs := map[string]int{}
	for rows.Next() {
		var term string
		var n int
		if err := rows.Scan(&term, &n); err != nil {
			return err
		}
		docs[term] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	db.trigrams.mu.Lock()
	db.trigrams.docs, db.trigrams.loadedAt = docs, time.Now()
	db.trigrams.mu.Unlock()
	return nil
}

// keywordTrigrams returns an FTS5 query ANDing trigrams of kw whose matches hold every name containing
// kw, and an upper bound on how many there are (-1 when unknown). With counts, it picks up to three
// rarest trigrams that do not overlap, the rarest bounding the candidates (a trigram the counts do not know
// counts as rarest: it may be new since they were read). Without counts, it covers kw with non-overlapping trigrams
// (every third one and the last).
func keywordTrigrams(kw string, docs map[string]int) (query string, bound int) {
	r := []rune(strings.ToLower(kw))
	type tri struct {
		s string
		n int
	}
	var tris []tri
	if docs == nil {
		for i := 0; i+3 <= len(r); i += 3 {
			tris = append(tris, tri{s: string(r[i : i+3])})
		}
		if len(r)%3 != 0 {
			tris = append(tris, tri{s: string(r[len(r)-3:])})
		}
		bound = -1
	} else {
		// Rarest first, skipping trigrams that overlap one already taken: neighbours in a name tend to
		// come from the same word and match the same names, so they would narrow the candidates little.
		type at struct {
			tri
			pos int
		}
		var all []at
		for i := 0; i+3 <= len(r); i++ {
			s := string(r[i : i+3])
			all = append(all, at{tri{s, docs[s]}, i})
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].n < all[j].n })
		var taken []int
		for _, c := range all {
			if len(taken) == 3 {
				break
			}
			clear := true
			for _, p := range taken {
				if c.pos > p-3 && c.pos < p+3 {
					clear = false
				}
			}
			if clear {
				taken = append(taken, c.pos)
				tris = append(tris, c.tri)
			}
		}
		bound = tris[0].n
	}
	parts := make([]string, len(tris))
	for i, t := range tris {
		parts[i] = ftsString(t.s)
	}
	return strings.Join(parts, " AND "), bound
}

// rarestGram returns the 1-based position in kw (in characters) of its rarest trigram by docs, the first
// of equally rare ones; a trigram docs do not know counts as rarest, as in keywordTrigrams.
func rarestGram(kw string, docs map[string]int) int {
	r := []rune(strings.ToLower(kw))
	best, bestN := 0, -1
	for i := 0; i+3 <= len(r); i++ {
		if n := docs[string(r[i:i+3])]; bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	return best + 1
}

// gramCountsCompactEvery is how often, at most, a keyword search starts a compaction of file_gram_counts:
// between two, a count sums the deltas its trigram gathered (one row per statement that changed a name
// holding it).
const gramCountsCompactEvery = 10 * time.Second

// compactGramCounts starts CompactKeywordCounts in the background, never twice at once, unless one started
// within gramCountsCompactEvery.
func (db *DB) compactGramCounts() {
	s := &db.trigrams
	if time.Since(time.Unix(0, s.compactedAt.Load())) < gramCountsCompactEvery || !s.compacting.CompareAndSwap(false, true) {
		return
	}
	s.compactedAt.Store(time.Now().UnixNano())
	go func() {
		defer s.compacting.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db.CompactKeywordCounts(ctx) // on failure the next count tries again; the deltas stay exact meanwhile
	}()
}

// CompactKeywordCounts folds, on PostgreSQL, the delta rows of every project's trigram in file_gram_counts
// that has more than one into a single row (SQLite keeps no such counts). One statement: a snapshot sees the
// rows either before or after it, which sum alike, and rows a concurrent writer appends are not in its snapshot
// and stay. Compactions take turns, on every replica, under an advisory lock: two at once could each delete
// part of one trigram's rows and each write its part's sum, exact but two rows where one was meant, and a
// bulk load's compaction could return with a keyword search's still folding. The one that waited folds what
// the other left (its statement's snapshot is taken after the lock). Keyword searches start it now and then; a
// bulk load calls it when done.
func (db *DB) CompactKeywordCounts(ctx context.Context) error {
	if db.dialect != Postgres {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(gramCountsLockID)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `WITH many AS (
				SELECT project_id, gram FROM file_gram_counts GROUP BY project_id, gram HAVING COUNT(*) > 1),
			d AS (
				DELETE FROM file_gram_counts c USING many m WHERE c.project_id = m.project_id AND c.gram = m.gram
				RETURNING c.project_id, c.gram, c.files)
			INSERT INTO file_gram_counts (project_id, gram, files)
				SELECT project_id, gram, SUM(files) FROM d GROUP BY project_id, gram HAVING SUM(files) <> 0`)
		return err
	})
}

// gramCountsLockID is the PostgreSQL advisory lock compactions of file_gram_counts take turns under, apart
// from the migration lock (migrationLockID).
const gramCountsLockID = 0x5107c0
