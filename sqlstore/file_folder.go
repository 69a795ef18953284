package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

var _ sluice.FileStore = (*DB)(nil)

// CreateWorkflow inserts w, filling its id and times.
func (db *DB) CreateWorkflow(ctx context.Context, w *sluice.Workflow) error {
	return db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		err := tx.queryRow(ctx, `INSERT INTO workflows (project_id, name, description, owner, use_type, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			w.ProjectID, w.Name, w.Description, w.Owner, string(w.UseType), now, now).Scan(&w.ID)
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "Workflow %q already exists.", w.Name)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", w.ProjectID)
		case err != nil:
			return err
		}
		w.CreatedAt, w.UpdatedAt = fromMillis(now), fromMillis(now)
		return nil
	})
}

const workflowColumns = "id, project_id, name, description, owner, use_type, created_at, updated_at"

func scanWorkflow(row interface{ Scan(...any) error }, extra ...any) (*sluice.Workflow, error) {
	var w sluice.Workflow
	var useType string
	var created, updated int64
	dest := append([]any{&w.ID, &w.ProjectID, &w.Name, &w.Description, &w.Owner, &useType, &created, &updated}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	w.UseType, w.CreatedAt, w.UpdatedAt = sluice.UseType(useType), fromMillis(created), fromMillis(updated)
	return &w, nil
}

// FindWorkflow returns a project's workflow by id.
func (db *DB) FindWorkflow(ctx context.Context, projectID, id int64) (*sluice.Workflow, error) {
	w, err := scanWorkflow(db.queryRow(ctx, "SELECT "+workflowColumns+" FROM workflows WHERE project_id = ? AND id = ?", projectID, id))
	if err != nil {
		return nil, notFound(err, "Workflow %d does not exist.", id)
	}
	return w, nil
}

// FindWorkflowByName returns a project's workflow by name.
func (db *DB) FindWorkflowByName(ctx context.Context, projectID int64, name string) (*sluice.Workflow, error) {
	w, err := scanWorkflow(db.queryRow(ctx, "SELECT "+workflowColumns+" FROM workflows WHERE project_id = ? AND name = ?", projectID, name))
	if err != nil {
		return nil, notFound(err, "Workflow %q does not exist.", name)
	}
	return w, nil
}

// FindWorkflows returns a page of a project's workflows in id order and the count the filter selects.
func (db *DB) FindWorkflows(ctx context.Context, f sluice.WorkflowFilter) ([]*sluice.Workflow, int, error) {
	where := " FROM workflows WHERE project_id = ?"
	args := []any{f.ProjectID}
	if f.Keyword != "" {
		where += ` AND lower(name) LIKE lower(?) ESCAPE '\'`
		args = append(args, likeContains(f.Keyword))
	}
	ws := []*sluice.Workflow{}
	total, err := db.readListing(ctx, listing{count: "SELECT COUNT(*)" + where, page: "SELECT " + workflowColumns + where + " ORDER BY id LIMIT ? OFFSET ?",
		countArgs: args, pageArgs: args, limit: f.Limit, offset: f.Offset, prepared: true}, func(rows *sql.Rows) error {
		x, err := scanWorkflow(rows)
		ws = append(ws, x)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return ws, total, nil
}

// UpdateWorkflow reads a workflow with its row locked, lets change alter it, and stores the result in the
// same transaction. A new name moves its folders: the first segment of their keys and the second of their
// paths; files follow their folders.
func (db *DB) UpdateWorkflow(ctx context.Context, projectID, id int64, change func(w *sluice.Workflow) error) (*sluice.Workflow, error) {
	var w *sluice.Workflow
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		w, err = scanWorkflow(tx.queryRow(ctx, "SELECT "+workflowColumns+" FROM workflows WHERE project_id = ? AND id = ?"+db.forUpdate(), projectID, id))
		if err != nil {
			return notFound(err, "Workflow %d does not exist.", id)
		}
		old := w.Name
		if err := change(w); err != nil {
			return err
		}
		w.ID, w.ProjectID = id, projectID
		w.UpdatedAt = fromMillis(millis(tx.now))
		_, err = tx.exec(ctx, "UPDATE workflows SET name = ?, description = ?, owner = ?, use_type = ?, updated_at = ? WHERE id = ?",
			w.Name, w.Description, w.Owner, string(w.UseType), millis(tx.now), id)
		if isUnique(err) {
			return sluice.Errorf(sluice.ECONFLICT, "Workflow %q already exists.", w.Name)
		}
		if err != nil || w.Name == old {
			return err
		}
		return tx.moveFolders(ctx, projectID, old, w.Name)
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// DeleteWorkflow deletes a workflow that holds no folders or files.
func (db *DB) DeleteWorkflow(ctx context.Context, projectID, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var busy bool
		err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM folders WHERE project_id = ? AND workflow_id = ?)
			OR EXISTS (SELECT 1 FROM files WHERE project_id = ? AND workflow_id = ?)`, projectID, id, projectID, id).Scan(&busy)
		if err != nil {
			return err
		}
		if busy {
			return sluice.Errorf(sluice.ECONFLICT, "Workflow %d still holds folders or files; delete them first.", id)
		}
		res, err := tx.exec(ctx, "DELETE FROM workflows WHERE project_id = ? AND id = ?", projectID, id)
		return checkAffected(res, err, "Workflow %d does not exist.", id)
	})
}

// forUpdate is the row-lock suffix of a SELECT in a write transaction. SQLite needs none: its write
// transactions begin IMMEDIATE on a one-connection pool, so they already run one at a time.
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// splitPath splits a folder path into its root segment (one of sluice.FolderRoots, or "") and its key.
func splitPath(path string) (root, key string) {
	path = strings.Trim(path, "/")
	first, rest, _ := strings.Cut(path, "/")
	for _, r := range sluice.FolderRoots {
		if strings.EqualFold(first, r) {
			return first, rest
		}
	}
	return "", path
}

// parentKey is the key of a folder's parent folder: "" for a top-level kind folder, whose parent is the workflow.
func parentKey(key string) string {
	i := strings.LastIndexByte(key, '/')
	if i < 0 || !strings.Contains(key[:i], "/") {
		return ""
	}
	return key[:i]
}

func newFolderID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CreateFolders creates the folder at key (<workflow>/<kind>[/<dir>...]) and its missing ancestors below the
// workflow, each with the given root, and returns the deepest and whether it was created.
func (db *DB) CreateFolders(ctx context.Context, projectID, workflowID int64, root, key string) (*sluice.Folder, bool, error) {
	segs := strings.Split(key, "/")
	if len(segs) < 2 {
		return nil, false, fmt.Errorf("create folders: key %q names a workflow, not a folder", key)
	}
	var deepest *sluice.Folder
	created := false
	err := db.inTx(ctx, func(tx *Tx) error {
		var name string
		err := tx.queryRow(ctx, "SELECT name FROM workflows WHERE project_id = ? AND id = ?", projectID, workflowID).Scan(&name)
		if err != nil {
			return notFound(err, "Workflow %d does not exist.", workflowID)
		}
		if name != segs[0] {
			return sluice.Errorf(sluice.EINVALID, "Folder path %q is not in workflow %q.", key, name)
		}
		for i := 2; i <= len(segs); i++ {
			k := strings.Join(segs[:i], "/")
			f, err := scanFolder(tx.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND key = ?", projectID, k))
			if err == nil {
				deepest, created = f, false
				continue
			}
			if err := notFound(err, ""); sluice.ErrorCode(err) != sluice.ENOTFOUND {
				return err
			}
			f = &sluice.Folder{ID: newFolderID(), ProjectID: projectID, WorkflowID: workflowID, Path: root + "/" + k,
				Key: k, ParentKey: parentKey(k), CreatedAt: fromMillis(millis(tx.now))}
			if _, err := tx.exec(ctx, `INSERT INTO folders (id, project_id, workflow_id, path, key, parent_key, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, projectID, workflowID, f.Path, f.Key, f.ParentKey, millis(tx.now)); err != nil {
				return err
			}
			deepest, created = f, true
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return deepest, created, nil
}

const folderColumns = "id, project_id, workflow_id, path, key, parent_key, created_at"

func scanFolder(row interface{ Scan(...any) error }) (*sluice.Folder, error) {
	var f sluice.Folder
	var created int64
	if err := row.Scan(&f.ID, &f.ProjectID, &f.WorkflowID, &f.Path, &f.Key, &f.ParentKey, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMillis(created)
	return &f, nil
}

// FindFolder returns a project's folder by id.
func (db *DB) FindFolder(ctx context.Context, projectID int64, id string) (*sluice.Folder, error) {
	f, err := scanFolder(db.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND id = ?", projectID, id))
	if err != nil {
		return nil, notFound(err, "Folder %s does not exist.", id)
	}
	return f, nil
}

// FindFolderByKey returns a project's folder by key (its path without the root segment).
func (db *DB) FindFolderByKey(ctx context.Context, projectID int64, key string) (*sluice.Folder, error) {
	f, err := scanFolder(db.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND key = ?", projectID, strings.Trim(key, "/")))
	if err != nil {
		return nil, notFound(err, "Folder %s does not exist.", key)
	}
	return f, nil
}

// FindFolders lists the direct children of parentKey by path. A parentKey without '/' names a workflow,
// whose children are its top-level kind folders; "" lists every top-level kind folder of the project.
func (db *DB) FindFolders(ctx context.Context, projectID int64, parentKey string, offset, limit int) ([]*sluice.Folder, int, error) {
	parentKey = strings.Trim(parentKey, "/")
	where := " FROM folders WHERE project_id = ? AND parent_key = ?"
	args := []any{projectID, parentKey}
	if parentKey != "" && !strings.Contains(parentKey, "/") {
		cond, cargs := hasPrefix("key", parentKey+"/")
		where = " FROM folders WHERE project_id = ? AND parent_key = '' AND " + cond
		args = append([]any{projectID}, cargs...)
	}
	fs := []*sluice.Folder{}
	total, err := db.readListing(ctx, listing{count: "SELECT COUNT(*)" + where, page: "SELECT " + folderColumns + where + " ORDER BY path LIMIT ? OFFSET ?",
		countArgs: args, pageArgs: args, limit: limit, offset: offset, prepared: true}, func(rows *sql.Rows) error {
		x, err := scanFolder(rows)
		fs = append(fs, x)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return fs, total, nil
}

// RenameFolder renames the last segment of a folder, rewriting the path and key of the folder and of every
// folder below it in one transaction. Files keep their folder ids, so they move with their folders.
func (db *DB) RenameFolder(ctx context.Context, projectID int64, id, name string) (*sluice.Folder, error) {
	var f *sluice.Folder
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		f, err = scanFolder(tx.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND id = ?"+db.forUpdate(), projectID, id))
		if err != nil {
			return notFound(err, "Folder %s does not exist.", id)
		}
		old := f.Key
		newKey := old[:strings.LastIndexByte(old, '/')+1] + name
		if newKey == old {
			return nil
		}
		var taken bool
		if err := tx.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM folders WHERE project_id = ? AND key = ?)", projectID, newKey).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return sluice.Errorf(sluice.ECONFLICT, "Folder %q already exists.", newKey)
		}
		if err := tx.moveFolders(ctx, projectID, old, newKey); err != nil {
			return err
		}
		f.Path = f.Path[:len(f.Path)-len(old)] + newKey
		f.Key = newKey
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// moveFolders replaces the key prefix old by new in the folders at and below old: their keys, the tails of
// their paths, and the parent keys below.
func (tx *Tx) moveFolders(ctx context.Context, projectID int64, old, new string) error {
	rest := utf8.RuneCountInString(old) + 1 // first character after the prefix, as SQL substr counts
	below, belowArgs := hasPrefix("key", old+"/")
	_, err := tx.exec(ctx, `UPDATE folders SET
			path = substr(path, 1, length(path) - length(key)) || ? || substr(key, ?),
			key = ? || substr(key, ?)
		WHERE project_id = ? AND (key = ? OR `+below+`)`,
		append([]any{new, rest, new, rest, projectID, old}, belowArgs...)...)
	if isUnique(err) {
		return sluice.Errorf(sluice.ECONFLICT, "Folder %q already exists.", new)
	}
	if err != nil {
		return err
	}
	parentBelow, parentArgs := hasPrefix("parent_key", old+"/")
	_, err = tx.exec(ctx, `UPDATE folders SET parent_key = ? || substr(parent_key, ?)
		WHERE project_id = ? AND (parent_key = ? OR `+parentBelow+`)`,
		append([]any{new, rest, projectID, old}, parentArgs...)...)
	return err
}

// DeleteFolder deletes a folder that holds no files or folders.
func (db *DB) DeleteFolder(ctx context.Context, projectID int64, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := scanFolder(tx.queryRow(ctx, "SELECT "+folderColumns+" FROM folders WHERE project_id = ? AND id = ?"+db.forUpdate(), projectID, id))
		if err != nil {
			return notFound(err, "Folder %s does not exist.", id)
		}
		var busy bool
		below, belowArgs := hasPrefix("key", f.Key+"/")
		err = tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM files WHERE project_id = ? AND folder_id = ?)
			OR EXISTS (SELECT 1 FROM folders WHERE project_id = ? AND `+below+`)`,
			append([]any{projectID, id, projectID}, belowArgs...)...).Scan(&busy)
		if err != nil {
			return err
		}
		if busy {
			return sluice.Errorf(sluice.ECONFLICT, "Folder %s is not empty: delete or move its files and folders first.", f.Path)
		}
		_, err = tx.exec(ctx, "DELETE FROM folders WHERE id = ?", id)
		return err
	})
}

// likeContains escapes s for LIKE ... ESCAPE '\' and surrounds it with wildcards.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// pageLimit is the LIMIT of a page: limit, or no limit when it is not positive.
func pageLimit(limit int) int {
	if limit <= 0 {
		return math.MaxInt32
	}
	return limit
}
