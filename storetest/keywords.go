package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sluice-dev/sluice"
)

// keywordWords build the names of testConcurrentKeywords: few words, so that keywords match many names and
// renames move names in and out of them; mixed case, "_" and "%" test case folding and LIKE escaping.
var keywordWords = []string{"ods", "dwd", "Trade", "order", "ORDER", "r_d", "p100%", "de", "x"}

// keywordFilters are the searches checked against a brute-force count: trigram keywords, longer ones,
// ones shorter than a trigram, LIKE's wildcards taken literally, and keywords with a folder.
var keywordFilters = []string{"ods", "ODS", "r_d", "ord", "order_", "trade_o", "de_x", "0%_", "%", "_", "de", "x", "ods_trade_order", "nothing"}

// testConcurrentKeywords checks that keyword totals and pages stay exact under concurrent creates, renames,
// moves, content edits and deletes: whatever the store keeps to answer keywords (PostgreSQL's file_grams,
// SQLite's FTS index) must change in the same transactions as the names. Readers run beside the writers and
// check every page they get; afterwards each keyword's total and every page are compared with a brute-force
// match over all names, in the project and in another one with the same names.
func testConcurrentKeywords(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db := x.db
	other := NewProject(t, db, "other", Seed(t, db, "bob", sluice.UserMember))
	name := func(r *rand.Rand) string {
		n := 2 + r.IntN(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = keywordWords[r.IntN(len(keywordWords))]
		}
		return strings.Join(parts, "_") + fmt.Sprintf("_%d", r.IntN(1000))
	}
	folders := []string{x.folder.Path, ""}
	var mu sync.Mutex
	var ids []int64 // the project's files, for the writers to pick from
	create := func(r *rand.Rand, project int64) error {
		f := &sluice.File{ProjectID: project, Name: name(r), Type: 10, Content: "SELECT 1", UseType: sluice.UseNormal, ParentID: -1}
		if project == x.project.ID {
			f.FolderPath = folders[r.IntN(2)]
		}
		err := db.CreateFile(ctx, f)
		if err == nil && project == x.project.ID {
			mu.Lock()
			ids = append(ids, f.ID)
			mu.Unlock()
		}
		return err
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 60 {
		if err := create(r, x.project.ID); err != nil && sluice.ErrorCode(err) != sluice.ECONFLICT {
			t.Fatal(err)
		}
		if err := create(r, other.ID); err != nil && sluice.ErrorCode(err) != sluice.ECONFLICT {
			t.Fatal(err)
		}
	}

	const writers, ops = 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*ops+writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 2))
			for range ops {
				mu.Lock()
				id := ids[r.IntN(len(ids))]
				mu.Unlock()
				var err error
				switch op := r.IntN(5); op {
				case 0:
					err = create(r, x.project.ID)
				case 1:
					_, err = remove(ctx, db, x.project.ID, id, "1001")
				default: // rename, move, edit the content: one of them or all at once
					_, err = db.ChangeFile(ctx, x.project.ID, id, func(f *sluice.File) (*sluice.FileChange, error) {
						if op != 3 {
							f.Name = name(r)
						}
						if op != 2 {
							f.FolderPath, f.FolderID = folders[r.IntN(2)], ""
						}
						f.Content = fmt.Sprintf("SELECT %d", r.IntN(100))
						return &sluice.FileChange{File: f}, nil
					})
				}
				// A name taken in the folder, or a file another writer deleted, is a refusal, not a failure.
				if c := sluice.ErrorCode(err); err != nil && c != sluice.ECONFLICT && c != sluice.ENOTFOUND {
					errs <- err
					return
				}
			}
		}()
	}
	// Readers beside the writers: every page they get is in id order and matches.
	done := make(chan struct{})
	var readers sync.WaitGroup
	for i := range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for n := i; ; n++ {
				select {
				case <-done:
					return
				default:
				}
				kw := keywordFilters[n%len(keywordFilters)]
				files, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: x.project.ID, Keyword: kw, Limit: 5})
				if err != nil {
					errs <- err
					return
				}
				// The total and the page are of one moment: a full first page under a total of at least its
				// size, a short one under exactly its size.
				if len(files) > total || (len(files) < 5 && len(files) != total) {
					errs <- fmt.Errorf("keyword %q: total %d under a page of %d", kw, total, len(files))
					return
				}
				for j, f := range files {
					if !strings.Contains(strings.ToLower(f.Name), strings.ToLower(kw)) || (j > 0 && f.ID <= files[j-1].ID) {
						errs <- fmt.Errorf("keyword %q: page %v holds %q", kw, fileIDs(files), f.Name)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	folderKey := x.folder.Key
	for _, project := range []int64{x.project.ID, other.ID} {
		all := allFiles(t, db, sluice.FileFilter{ProjectID: project})
		for _, kw := range keywordFilters {
			for _, folder := range []*string{nil, &folderKey} {
				if folder != nil && project != x.project.ID {
					continue
				}
				var want []int64
				for _, f := range all {
					if strings.Contains(strings.ToLower(f.Name), strings.ToLower(kw)) && (folder == nil || f.FolderID == x.folder.ID) {
						want = append(want, f.ID)
					}
				}
				got := allFiles(t, db, sluice.FileFilter{ProjectID: project, Keyword: kw, FolderKey: folder})
				if !slices.Equal(fileIDs(got), want) {
					t.Errorf("project %d keyword %q folder %v: %v, want %v", project, kw, folder != nil, fileIDs(got), want)
				}
			}
		}
	}
}

// allFiles pages through everything f selects, seven at a time, checking each page's total against the
// number of files the pages hold in the end.
func allFiles(t *testing.T, db interface {
	FindFiles(context.Context, sluice.FileFilter) ([]*sluice.File, int, error)
}, f sluice.FileFilter) []*sluice.File {
	t.Helper()
	var out []*sluice.File
	totals := map[int]bool{}
	for f.Limit = 7; ; f.Offset += f.Limit {
		files, total, err := db.FindFiles(context.Background(), f)
		must(t, err)
		totals[total] = true
		out = append(out, files...)
		if len(files) < f.Limit {
			break
		}
	}
	if len(totals) != 1 || !totals[len(out)] {
		t.Errorf("filter %+v: totals %v over %d files", f, totals, len(out))
	}
	return out
}

func fileIDs(files []*sluice.File) []int64 {
	out := make([]int64, 0, len(files))
	for _, f := range files {
		out = append(out, f.ID)
	}
	return out
}
