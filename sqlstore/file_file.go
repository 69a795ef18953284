package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

// fileColumns reads a file with its folder's path; the content column is spliced in so that listings can
// leave it out.
func fileColumns(content bool) string {
	c := "''"
	if content {
		c = "f.content"
	}
	return "f.id, f.project_id, f.workflow_id, f.folder_id, COALESCE(d.path, ''), f.name, f.type, f.description, " + c +
		", f.owner, f.create_user, f.last_edit_user, f.connection_name, f.auto_parsing, f.use_type, f.advanced_settings," +
		" f.commit_status, f.current_version, f.node_id, f.parent_id, f.schedule, f.created_at, f.updated_at"
}

const fileFrom = " FROM files f LEFT JOIN folders d ON d.id = f.folder_id"

func scanFile(row interface{ Scan(...any) error }) (*sluice.File, error) {
	var f sluice.File
	var useType, schedule string
	var created, updated int64
	if err := row.Scan(&f.ID, &f.ProjectID, &f.WorkflowID, &f.FolderID, &f.FolderPath, &f.Name, &f.Type, &f.Description,
		&f.Content, &f.Owner, &f.CreateUser, &f.LastEditUser, &f.ConnectionName, &f.AutoParsing, &useType,
		&f.AdvancedSettings, &f.CommitStatus, &f.CurrentVersion, &f.NodeID, &f.ParentID, &schedule, &created, &updated); err != nil {
		return nil, err
	}
	f.UseType, f.CreatedAt, f.UpdatedAt = sluice.UseType(useType), fromMillis(created), fromMillis(updated)
	var err error
	if f.Schedule, err = unmarshalSchedule(schedule); err != nil {
		return nil, fmt.Errorf("file %d: schedule: %w", f.ID, err)
	}
	return &f, nil
}

// placeFile resolves where f goes from f.FolderPath alone (its root segment may be any of
// sluice.FolderRoots; "" is the project's root) and sets FolderID, FolderPath and, for a file in a folder,
// WorkflowID. f.FolderID is output only: a caller moves a file by changing its FolderPath.
func (tx *Tx) placeFile(ctx context.Context, f *sluice.File) error {
	if strings.Trim(f.FolderPath, "/") == "" {
		f.FolderID, f.FolderPath, f.WorkflowID = "", "", 0
		return nil
	}
	_, key := splitPath(f.FolderPath)
	folder, err := scanFolder(tx.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND key = ?", f.ProjectID, key))
	if err != nil {
		return notFound(err, "Folder %s does not exist.", f.FolderPath)
	}
	f.FolderID, f.FolderPath, f.WorkflowID = folder.ID, folder.Path, folder.WorkflowID
	return nil
}

// CreateFile inserts a draft, filling its id, folder and times.
func (db *DB) CreateFile(ctx context.Context, f *sluice.File) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.placeFile(ctx, f); err != nil {
			return err
		}
		now := millis(tx.now)
		err := tx.queryRow(ctx, `INSERT INTO files (project_id, workflow_id, folder_id, name, type, description, content,
			owner, create_user, last_edit_user, connection_name, auto_parsing, use_type, advanced_settings,
			commit_status, current_version, node_id, parent_id, schedule, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.ProjectID, f.WorkflowID, f.FolderID, f.Name, f.Type, f.Description, f.Content,
			f.Owner, f.CreateUser, f.LastEditUser, f.ConnectionName, f.AutoParsing, string(f.UseType), f.AdvancedSettings,
			f.CommitStatus, f.CurrentVersion, f.NodeID, f.ParentID, marshalSchedule(f.Schedule), now, now).Scan(&f.ID)
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "File %q already exists in folder %q.", f.Name, f.FolderPath)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", f.ProjectID)
		case err != nil:
			return err
		}
		f.CreatedAt, f.UpdatedAt = fromMillis(now), fromMillis(now)
		return nil
	})
}

// FindFile returns a project's file by id, with its content.
func (db *DB) FindFile(ctx context.Context, projectID, id int64) (*sluice.File, error) {
	f, err := scanFile(db.queryRow(ctx, "SELECT "+fileColumns(true)+fileFrom+" WHERE f.project_id = ? AND f.id = ?", projectID, id))
	if err != nil {
		return nil, notFound(err, "File %d does not exist.", id)
	}
	return f, nil
}

// FindFileByNode returns the file whose DEV node is nodeID.
func (db *DB) FindFileByNode(ctx context.Context, projectID, nodeID int64) (*sluice.File, error) {
	if nodeID == 0 {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Node %d does not exist.", nodeID)
	}
	f, err := scanFile(db.queryRow(ctx, "SELECT "+fileColumns(true)+fileFrom+" WHERE f.project_id = ? AND f.node_id = ?", projectID, nodeID))
	if err != nil {
		return nil, notFound(err, "No file has node %d.", nodeID)
	}
	return f, nil
}

// minTrigramKeyword is the shortest keyword the trigram indexes can answer; shorter ones scan the project.
const minTrigramKeyword = 3

// FindFiles returns a page of files in id order and the exact count the filter selects. The page and the
// count are two queries over the same conditions, of one snapshot (readListing); see docs/files-scale.md for
// the plans they take.
func (db *DB) FindFiles(ctx context.Context, f sluice.FileFilter) ([]*sluice.File, int, error) {
	q, ok, err := db.fileQuery(ctx, f)
	if err != nil || !ok {
		return []*sluice.File{}, 0, err
	}
	files := []*sluice.File{}
	total, err := db.readListing(ctx, listing{count: q.count, countArgs: q.Args, page: q.page, pageArgs: q.pageArgs,
		limit: f.Limit, offset: f.Offset, prepared: q.prepare}, func(rows *sql.Rows) error {
		file, err := scanFile(rows)
		files = append(files, file)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list files: %w", err)
	}
	return files, total, nil
}

// FileQuery is the SQL that FindFiles runs for a filter: Count with Args answers TotalCount and Page, with
// PageArgs followed by LIMIT and OFFSET, answers the page. The scale benchmark runs it directly.
type FileQuery struct {
	Count, Page    string // with ? placeholders already rebound for the dialect
	Args, PageArgs []any
	prepare        bool // false when list lengths vary (IN), so the text is not worth caching
	count, page    string
	pageArgs       []any
}

// FileQuery returns the queries FindFiles runs for f; ok is false when f selects nothing without a query
// (a folder that does not exist).
func (db *DB) FileQuery(ctx context.Context, f sluice.FileFilter) (q FileQuery, ok bool, err error) {
	q, ok, err = db.fileQuery(ctx, f)
	q.Count, q.Page, q.PageArgs = db.q(q.count), db.q(q.page), q.pageArgs
	return q, ok, err
}

// maxVerifiedCandidates is how many trigram candidates a long keyword's count checks row by row before it
// counts positionally on the index instead.
const maxVerifiedCandidates = 3000

// phraseCount counts a project's names holding a phrase (args: project, phrase, project, phrase, project,
// phrase, phrase, project).
const phraseCount = `SELECT CASE WHEN 2 * COALESCE((SELECT files FROM file_counts WHERE project_id = ?), 0) >=
		COALESCE((SELECT SUM(files) FROM file_counts), 0)
	THEN (SELECT COUNT(*) FROM files_fts WHERE files_fts MATCH ?) -
		(SELECT COUNT(*) FROM files o WHERE o.project_id < ? AND
			EXISTS (SELECT 1 FROM files_fts WHERE files_fts MATCH ? AND rowid = o.id)) -
		(SELECT COUNT(*) FROM files o WHERE o.project_id > ? AND
			EXISTS (SELECT 1 FROM files_fts WHERE files_fts MATCH ? AND rowid = o.id))
	ELSE (SELECT COUNT(*) FROM files_fts s JOIN files f ON f.id = s.rowid WHERE files_fts MATCH ? AND f.project_id = ?)
	END`

// ftsString quotes s as an FTS5 string: with the trigram tokenizer, a phrase matching s as a substring.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (db *DB) fileQuery(ctx context.Context, f sluice.FileFilter) (FileQuery, bool, error) {
	q := FileQuery{prepare: len(f.Types) <= 1 && len(f.IDs) <= 1}
	where := "f.project_id = ?"
	q.Args = append(q.Args, f.ProjectID)
	if f.FolderKey != nil {
		folderID := ""
		if key := strings.Trim(*f.FolderKey, "/"); key != "" {
			err := db.queryRow(ctx, "SELECT id FROM folders WHERE project_id = ? AND key = ?", f.ProjectID, key).Scan(&folderID)
			if err == sql.ErrNoRows {
				return q, false, nil
			}
			if err != nil {
				return q, false, err
			}
		}
		where += " AND f.folder_id = ?"
		q.Args = append(q.Args, folderID)
	}
	if f.ExactName != "" {
		where += " AND f.name = ?"
		q.Args = append(q.Args, f.ExactName)
	}
	if len(f.Types) > 0 {
		where += " AND f.type IN (?" + strings.Repeat(", ?", len(f.Types)-1) + ")"
		for _, t := range f.Types {
			q.Args = append(q.Args, t)
		}
	}
	if len(f.IDs) > 0 {
		where += " AND f.id IN (?" + strings.Repeat(", ?", len(f.IDs)-1) + ")"
		for _, id := range f.IDs {
			q.Args = append(q.Args, id)
		}
	}
	if f.Owner != "" {
		where += " AND f.owner = ?"
		q.Args = append(q.Args, f.Owner)
	}
	if f.LastEditUser != "" {
		where += " AND f.last_edit_user = ?"
		q.Args = append(q.Args, f.LastEditUser)
	}
	if f.CommitStatus != nil {
		where += " AND f.commit_status = ?"
		q.Args = append(q.Args, *f.CommitStatus)
	}
	if f.NodeID != 0 {
		where += " AND f.node_id = ?"
		q.Args = append(q.Args, f.NodeID)
	}
	if f.UseType != "" {
		where += " AND f.use_type = ?"
		q.Args = append(q.Args, string(f.UseType))
	}
	onlyProject := len(q.Args) == 1
	onlyTypes := len(f.Types) > 0 && len(q.Args) == 1+len(f.Types) // the project and FileTypes, nothing else
	var ids string                                                 // the page's ids, found on indexes alone before any row is read
	switch {
	case f.Keyword == "":
		q.count = "SELECT COUNT(*) FROM files f WHERE " + where
		switch {
		case onlyProject:
			q.count = "SELECT COALESCE((SELECT files FROM file_counts WHERE project_id = ?), 0)"
		case onlyTypes:
			q.count = "SELECT COALESCE(SUM(files), 0) FROM file_type_counts f WHERE " + where
		}
		ids = "SELECT f.id FROM files f WHERE " + where + " ORDER BY f.id LIMIT ? OFFSET ?"
	case db.dialect == SQLite && utf8.RuneCountInString(f.Keyword) >= minTrigramKeyword:
		// The trigram index drives: it yields matching ids in ascending order, so a page stops after
		// OFFSET+LIMIT matches that pass the other conditions. See docs/files-scale.md for the costs.
		phrase := ftsString(f.Keyword)
		from := " FROM files_fts s JOIN files f ON f.id = s.rowid"
		if utf8.RuneCountInString(f.Keyword) <= 5 {
			// A short keyword is a phrase of at most three trigrams: cheap to match positionally.
			q.Args = append([]any{phrase}, q.Args...)
			q.count = "SELECT COUNT(*)" + from + " WHERE files_fts MATCH ? AND " + where
			if onlyProject {
				// Counting through the join reads a files row per match; counting the index alone
				// does not. When the project holds most files, count every match and subtract those
				// of the other projects, each checked by a seek in the index (cost: the other
				// projects' size); otherwise count through the join (cost: the matches).
				q.Args = []any{f.ProjectID, phrase, f.ProjectID, phrase, f.ProjectID, phrase, phrase, f.ProjectID}
				q.count = phraseCount
				q.pageArgs = []any{phrase, f.ProjectID}
			}
			ids = "SELECT s.rowid" + from + " WHERE files_fts MATCH ? AND " + where + " ORDER BY s.rowid LIMIT ? OFFSET ?"
			break
		}
		// A long keyword's phrase has many trigrams, and matching them positionally costs in proportion
		// to all their posting lists. Candidates come instead from a few of its trigrams (no positions;
		// the rarest two when their counts are known), and LIKE on the name keeps the true matches.
		rare, bound := keywordTrigrams(f.Keyword, db.trigramDocs())
		where += ` AND f.name LIKE ? ESCAPE '\'`
		q.Args = append([]any{rare}, append(q.Args, likeContains(f.Keyword))...)
		q.count = "SELECT COUNT(*)" + from + " WHERE files_fts MATCH ? AND " + where
		ids = "SELECT s.rowid" + from + " WHERE files_fts MATCH ? AND " + where + " ORDER BY s.rowid LIMIT ? OFFSET ?"
		q.pageArgs = q.Args
		if onlyProject && (bound < 0 || bound > maxVerifiedCandidates) {
			// Verifying reads a files row per candidate. Unless the rarest trigram already bounds them,
			// count the candidates on the index (cheap next to reading rows); many of them mean a common
			// keyword, whose positional count on the index alone is the cheaper exact answer.
			var candidates int
			if err := db.queryRow(ctx, "SELECT COUNT(*) FROM files_fts WHERE files_fts MATCH ?", rare).Scan(&candidates); err != nil {
				return q, false, err
			}
			if candidates > maxVerifiedCandidates {
				q.Args = []any{f.ProjectID, phrase, f.ProjectID, phrase, f.ProjectID, phrase, phrase, f.ProjectID}
				q.count = phraseCount
			}
		}
	case db.dialect == Postgres && utf8.RuneCountInString(f.Keyword) >= minTrigramKeyword:
		// file_grams (migration 0013) holds each name's trigrams with the lowered name: the matches are
		// the rows of the keyword's rarest trigram whose name holds the keyword, read in id order on the
		// index alone, so the count reads no files row and a page stops after OFFSET+LIMIT matches. The
		// trigram is cut from lower(?) in SQL, as the filter lowers the keyword, so it is always one the
		// matching names hold. See docs/files-scale.md for the costs.
		cond := "g.project_id = ? AND g.gram = substr(lower(?), ?, 3)"
		gargs := []any{f.ProjectID, f.Keyword, rarestGram(f.Keyword, db.trigramDocs())}
		if utf8.RuneCountInString(f.Keyword) > minTrigramKeyword { // a trigram keyword is its own match
			cond += ` AND g.lname LIKE lower(?) ESCAPE '\'`
			gargs = append(gargs, likeContains(f.Keyword))
		}
		from := " FROM file_grams g"
		if onlyProject {
			q.Args = gargs
		} else {
			from += " JOIN files f ON f.id = g.file_id"
			cond += " AND " + where
			q.Args = append(gargs, q.Args...)
		}
		q.count = "SELECT COUNT(*)" + from + " WHERE " + cond
		ids = "SELECT g.file_id" + from + " WHERE " + cond + " ORDER BY g.file_id LIMIT ? OFFSET ?"
		if onlyProject && utf8.RuneCountInString(f.Keyword) == minTrigramKeyword {
			// A trigram's total is kept: the sum of its rows in file_gram_counts, few once compacted.
			q.pageArgs = q.Args
			q.Args = []any{f.ProjectID, f.Keyword}
			q.count = "SELECT COALESCE(SUM(files), 0) FROM file_gram_counts WHERE project_id = ? AND gram = lower(?)"
		}
		db.compactGramCounts() // any keyword search keeps the deltas few, whichever keywords are searched
	default:
		// Keywords of one or two characters: a LIKE over the project's names (SQLite scans them in the
		// files_name index).
		cond := ` AND f.name LIKE ? ESCAPE '\'`
		if db.dialect == Postgres {
			cond = ` AND lower(f.name) LIKE lower(?) ESCAPE '\'`
		}
		where += cond
		q.Args = append(q.Args, likeContains(f.Keyword))
		q.count = "SELECT COUNT(*) FROM files f WHERE " + where
		ids = "SELECT f.id FROM files f WHERE " + where + " ORDER BY f.id LIMIT ? OFFSET ?"
	}
	if q.pageArgs == nil {
		q.pageArgs = q.Args
	}
	q.page = "SELECT " + fileColumns(f.NeedContent) + fileFrom + " WHERE f.id IN (" + ids + ") ORDER BY f.id"
	return q, true, nil
}
