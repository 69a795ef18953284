package sqlstore

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// trigramStats caches how many file names hold each trigram (SQLite's files_vocab). A long keyword's
// candidates come from its rarest trigrams, and the rarest one bounds how many there can be. The counts only
// steer the plan — the trigram index and a LIKE on the name decide what matches — so stale counts cost time,
// never a wrong answer. Reading the whole vocabulary costs about a second at a million files, so it is
// never done on a request's path: the first keyword query starts a load in the background and is planned
// without counts, and the counts are reloaded in the background once older than trigramStatsTTL.
type trigramStats struct {
	mu       sync.RWMutex
	docs     map[string]int
	loadedAt time.Time
	loading  atomic.Bool
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
	rows, err := db.r.QueryContext(ctx, "SELECT term, doc FROM files_vocab")
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
