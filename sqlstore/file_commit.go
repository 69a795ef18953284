package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sluice-dev/sluice"
)

// lockFile reads a file inside a write transaction, locking its row on PostgreSQL so that concurrent
// commits of one file queue behind each other (SQLite's writers are serialized already).
func (tx *Tx) lockFile(ctx context.Context, projectID, id int64) (*sluice.File, error) {
	f, err := scanFile(tx.queryRow(ctx, "SELECT "+fileColumns(true)+fileFrom+
		" WHERE f.project_id = ? AND f.id = ?"+lockOf(tx.db, "f"), projectID, id))
	if err != nil {
		return nil, notFound(err, "File %d does not exist.", id)
	}
	return f, nil
}

// lockOf locks the rows of one table of a join (PostgreSQL refuses FOR UPDATE on the nullable side of an
// outer join).
func lockOf(db *DB, table string) string {
	if db.dialect == Postgres {
		return " FOR UPDATE OF " + table
	}
	return ""
}

// insertVersion records a version of a file.
func (tx *Tx) insertVersion(ctx context.Context, projectID int64, v *sluice.FileVersion) error {
	now := millis(tx.now)
	_, err := tx.exec(ctx, `INSERT INTO file_versions (project_id, file_id, version, name, content, property_content,
		node_content, node_id, commit_user, commit_time, comment, change_type, status, is_current_prod, use_type)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		projectID, v.FileID, v.Version, v.Name, v.Content, marshalProperties(v.Name, v.Properties),
		marshalSchedule(v.Schedule), v.NodeID, v.CommitUser, now, v.Comment, v.ChangeType, v.Status, v.IsCurrentProd,
		string(v.UseType))
	if isUnique(err) { // only if a writer skipped the lock
		return sluice.Errorf(sluice.ECONFLICT, "File %d version %d was committed concurrently.", v.FileID, v.Version)
	}
	if err != nil {
		return fmt.Errorf("record version %d: %w", v.Version, err)
	}
	v.CommitTime = fromMillis(now)
	return nil
}

// insertDeployment records a deployment and its items.
func (tx *Tx) insertDeployment(ctx context.Context, projectID int64, d *sluice.Deployment) error {
	now := millis(tx.now)
	d.ProjectID = projectID
	err := tx.queryRow(ctx, `INSERT INTO deployments (project_id, name, status, creator, handler, from_env, to_env,
		error_message, created_at, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.ProjectID, d.Name, d.Status, d.Creator, d.Handler, d.From, d.To, d.ErrorMessage, now, now).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("record deployment: %w", err)
	}
	d.CreatedAt, d.ExecutedAt = fromMillis(now), fromMillis(now)
	for _, it := range d.Items {
		if _, err := tx.exec(ctx, "INSERT INTO deployment_items (deployment_id, file_id, file_version, status) VALUES (?, ?, ?, ?)",
			d.ID, it.FileID, it.FileVersion, it.Status); err != nil {
			return fmt.Errorf("record deployment item: %w", err)
		}
	}
	return nil
}

// nextNodeID allocates a node id from the node sequence.
func (tx *Tx) nextNodeID(ctx context.Context) (int64, error) {
	var id int64
	var err error
	if tx.db.dialect == Postgres {
		err = tx.queryRow(ctx, "SELECT nextval('node_ids')").Scan(&id)
	} else {
		err = tx.queryRow(ctx, "INSERT INTO node_ids DEFAULT VALUES RETURNING id").Scan(&id)
		if err == nil {
			_, err = tx.exec(ctx, "DELETE FROM node_ids WHERE id = ?", id) // the sequence is in sqlite_sequence
		}
	}
	if err != nil {
		return 0, fmt.Errorf("allocate node id: %w", err)
	}
	return id, nil
}

// putNode creates or replaces a node.
func (tx *Tx) putNode(ctx context.Context, projectID int64, n *sluice.Node) error {
	now := millis(tx.now)
	_, err := tx.exec(ctx, `INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type,
		owner, description, scheduler_type, schedule, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id, env) DO UPDATE SET file_version = excluded.file_version, workflow_id = excluded.workflow_id,
			name = excluded.name, file_type = excluded.file_type, owner = excluded.owner,
			description = excluded.description, scheduler_type = excluded.scheduler_type,
			schedule = excluded.schedule, updated_at = excluded.updated_at`,
		n.ID, string(n.Env), projectID, n.FileID, n.FileVersion, n.WorkflowID, n.Name, n.FileType, n.Owner, n.Description,
		n.Schedule.SchedulerType, marshalSchedule(n.Schedule), now, now)
	if err != nil {
		return fmt.Errorf("put %s node %d: %w", n.Env, n.ID, err)
	}
	return nil
}

// publishNode copies a DEV node to PROD under the same id.
func (tx *Tx) publishNode(ctx context.Context, id int64) error {
	var fileID int64
	var version int
	err := tx.queryRow(ctx, "SELECT file_id, file_version FROM nodes WHERE id = ? AND env = 'DEV'", id).Scan(&fileID, &version)
	if errors.Is(err, sql.ErrNoRows) {
		err = sluice.Errorf(sluice.ENOTFOUND, "Node %d has no DEV version to publish.", id)
	}
	if err == nil {
		err = tx.moveCurrentLineage(ctx, sluice.EnvProd, fileID, id, version)
	}
	if err != nil {
		return fmt.Errorf("publish node %d: %w", id, err)
	}
	now := millis(tx.now)
	if _, err := tx.exec(ctx, `INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type,
		owner, description, scheduler_type, schedule, created_at, updated_at)
		SELECT id, 'PROD', project_id, file_id, file_version, workflow_id, name, file_type, owner, description,
			scheduler_type, schedule, ?, ? FROM nodes WHERE id = ? AND env = 'DEV'
		ON CONFLICT (id, env) DO UPDATE SET file_version = excluded.file_version, workflow_id = excluded.workflow_id,
			name = excluded.name, file_type = excluded.file_type, owner = excluded.owner,
			description = excluded.description, scheduler_type = excluded.scheduler_type,
			schedule = excluded.schedule, updated_at = excluded.updated_at`, now, now, id); err != nil {
		return fmt.Errorf("publish node %d: %w", id, err)
	}
	return nil
}

// writeFile stores a file's row as given, placing it in the folder its FolderPath names when that is not
// where old (the row as read) is.
func (tx *Tx) writeFile(ctx context.Context, old, f *sluice.File) error {
	if f.FolderPath != old.FolderPath || f.FolderID != old.FolderID {
		if err := tx.placeFile(ctx, f); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `UPDATE files SET workflow_id = ?, folder_id = ?, name = ?, description = ?, content = ?,
		owner = ?, last_edit_user = ?, connection_name = ?, auto_parsing = ?, use_type = ?, advanced_settings = ?,
		commit_status = ?, current_version = ?, node_id = ?, parent_id = ?, schedule = ?, updated_at = ?
		WHERE id = ?`,
		f.WorkflowID, f.FolderID, f.Name, f.Description, f.Content,
		f.Owner, f.LastEditUser, f.ConnectionName, f.AutoParsing, string(f.UseType), f.AdvancedSettings,
		f.CommitStatus, f.CurrentVersion, f.NodeID, f.ParentID, marshalSchedule(f.Schedule), millis(f.UpdatedAt), old.ID)
	if isUnique(err) {
		return sluice.Errorf(sluice.ECONFLICT, "File %q already exists in folder %q.", f.Name, f.FolderPath)
	}
	return err
}

// ChangeFile reads a file with its row locked (PostgreSQL; SQLite's writers are serialized already), lets
// change decide what to write, and writes it in the same transaction: concurrent changes of one file
// queue behind each other, each seeing the result of the last.
func (db *DB) ChangeFile(ctx context.Context, projectID, id int64, change func(f *sluice.File) (*sluice.FileChange, error)) (*sluice.FileChange, error) {
	var c *sluice.FileChange
	err := db.inTx(ctx, func(tx *Tx) error {
		old, err := tx.lockFile(ctx, projectID, id)
		if err != nil {
			return err
		}
		f := *old
		if c, err = change(&f); err != nil {
			return err
		}
		return tx.applyFileChange(ctx, old, c)
	})
	if err != nil {
		return nil, fmt.Errorf("change file %d: %w", id, err)
	}
	return c, nil
}

func (tx *Tx) applyFileChange(ctx context.Context, old *sluice.File, c *sluice.FileChange) error {
	if c.File == nil && !c.Delete {
		return errors.New("a file change must keep or delete the file")
	}
	if c.Node != nil && c.Node.ID == 0 {
		id, err := tx.nextNodeID(ctx)
		if err != nil {
			return err
		}
		c.Node.ID = id
		if c.File != nil {
			c.File.NodeID = id
		}
		if c.Version != nil {
			c.Version.NodeID = id
		}
	}
	if v := c.Version; v != nil {
		if v.FileID != old.ID || v.Version != old.CurrentVersion+1 {
			return fmt.Errorf("version %d of file %d does not follow version %d", v.Version, v.FileID, old.CurrentVersion)
		}
		if err := tx.insertVersion(ctx, old.ProjectID, v); err != nil {
			return err
		}
		if c.Lineage != nil {
			if err := tx.insertLineage(ctx, old.ProjectID, old.ID, v.Version, c.Lineage); err != nil {
				return err
			}
		}
	}
	if c.Delete {
		if _, err := tx.exec(ctx, "DELETE FROM files WHERE id = ?", old.ID); err != nil {
			return err
		}
		if old.NodeID != 0 {
			for _, env := range []sluice.Env{sluice.EnvDev, sluice.EnvProd} {
				if err := tx.moveCurrentLineage(ctx, env, old.ID, old.NodeID, 0); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, "DELETE FROM nodes WHERE id = ?", old.NodeID); err != nil {
				return err
			}
		}
	} else {
		if c.Node != nil {
			if err := tx.moveCurrentLineage(ctx, c.Node.Env, old.ID, c.Node.ID, c.Node.FileVersion); err != nil {
				return err
			}
			if err := tx.putNode(ctx, old.ProjectID, c.Node); err != nil {
				return err
			}
		}
		if err := tx.writeFile(ctx, old, c.File); err != nil {
			return err
		}
		if c.PublishNode {
			if err := tx.publishNode(ctx, c.File.NodeID); err != nil {
				return err
			}
		}
	}
	if c.ProdVersion != 0 {
		// Only the version marked before and the one deployed change, whatever the file's history.
		if _, err := tx.exec(ctx, "UPDATE file_versions SET is_current_prod = FALSE WHERE file_id = ? AND is_current_prod AND version <> ?",
			old.ID, c.ProdVersion); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE file_versions SET is_current_prod = TRUE, status = ? WHERE file_id = ? AND version = ?",
			sluice.VersionDeployed, old.ID, c.ProdVersion); err != nil {
			return err
		}
	}
	if c.Job != nil {
		if err := tx.insertJob(ctx, c.Job); err != nil {
			return err
		}
	}
	if c.Deployment != nil {
		return tx.insertDeployment(ctx, old.ProjectID, c.Deployment)
	}
	return nil
}

const versionColumns = "file_id, version, name, content, property_content, node_content, node_id, commit_user, commit_time," +
	" comment, change_type, status, is_current_prod, use_type"

func scanVersion(row interface{ Scan(...any) error }) (*sluice.FileVersion, error) {
	var v sluice.FileVersion
	var commit int64
	var useType, properties, schedule string
	if err := row.Scan(&v.FileID, &v.Version, &v.Name, &v.Content, &properties, &schedule, &v.NodeID,
		&v.CommitUser, &commit, &v.Comment, &v.ChangeType, &v.Status, &v.IsCurrentProd, &useType); err != nil {
		return nil, err
	}
	v.CommitTime, v.UseType = fromMillis(commit), sluice.UseType(useType)
	var err error
	if v.Properties, err = unmarshalProperties(properties); err != nil {
		return nil, fmt.Errorf("file %d version %d: properties: %w", v.FileID, v.Version, err)
	}
	if v.Schedule, err = unmarshalSchedule(schedule); err != nil {
		return nil, fmt.Errorf("file %d version %d: schedule: %w", v.FileID, v.Version, err)
	}
	return &v, nil
}

// FindFileVersion returns one version of a file, also of a deleted one.
func (db *DB) FindFileVersion(ctx context.Context, projectID, fileID int64, version int) (*sluice.FileVersion, error) {
	v, err := scanVersion(db.queryRow(ctx, "SELECT "+versionColumns+" FROM file_versions WHERE project_id = ? AND file_id = ? AND version = ?",
		projectID, fileID, version))
	if err != nil {
		return nil, notFound(err, "Version %d of file %d does not exist.", version, fileID)
	}
	return v, nil
}

// FindFileVersions returns a page of a file's versions, newest first, and how many there are.
func (db *DB) FindFileVersions(ctx context.Context, projectID, fileID int64, offset, limit int) ([]*sluice.FileVersion, int, error) {
	vs := []*sluice.FileVersion{}
	args := []any{projectID, fileID}
	total, err := db.readListing(ctx, listing{
		count:     "SELECT COUNT(*) FROM file_versions WHERE project_id = ? AND file_id = ?",
		page:      "SELECT " + versionColumns + " FROM file_versions WHERE project_id = ? AND file_id = ? ORDER BY version DESC LIMIT ? OFFSET ?",
		countArgs: args, pageArgs: args, limit: limit, offset: offset, prepared: true,
	}, func(rows *sql.Rows) error {
		v, err := scanVersion(rows)
		vs = append(vs, v)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return vs, total, nil
}

const nodeColumns = "n.id, n.project_id, n.env, n.file_id, n.file_version, n.workflow_id, n.name, n.file_type, n.owner," +
	" n.description, n.schedule, n.created_at, n.updated_at"

func scanNode(row interface{ Scan(...any) error }) (*sluice.Node, error) {
	var n sluice.Node
	var env, schedule string
	var created, updated int64
	if err := row.Scan(&n.ID, &n.ProjectID, &env, &n.FileID, &n.FileVersion, &n.WorkflowID, &n.Name, &n.FileType,
		&n.Owner, &n.Description, &schedule, &created, &updated); err != nil {
		return nil, err
	}
	n.Env, n.CreatedAt, n.UpdatedAt = sluice.Env(env), fromMillis(created), fromMillis(updated)
	var err error
	if n.Schedule, err = unmarshalSchedule(schedule); err != nil {
		return nil, fmt.Errorf("node %d: schedule: %w", n.ID, err)
	}
	return &n, nil
}

// FindNode returns a node by id in env, in any project.
func (db *DB) FindNode(ctx context.Context, id int64, env sluice.Env) (*sluice.Node, error) {
	n, err := scanNode(db.queryRow(ctx, "SELECT "+nodeColumns+" FROM nodes n WHERE n.id = ? AND n.env = ?", id, string(env)))
	if err != nil {
		return nil, notFound(err, "Node %d does not exist in %s.", id, env)
	}
	return n, nil
}

// FindNodes returns a page of a project's nodes in one environment, in id order, and the count selected.
func (db *DB) FindNodes(ctx context.Context, f sluice.NodeFilter) ([]*sluice.Node, int, error) {
	env := f.Env
	if env == "" {
		env = sluice.EnvProd
	}
	from := " FROM nodes n"
	where := " WHERE n.project_id = ? AND n.env = ?"
	args := []any{f.ProjectID, string(env)}
	if f.WorkflowName != "" {
		from += " JOIN workflows w ON w.id = n.workflow_id"
		where += " AND w.name = ?"
		args = append(args, f.WorkflowName)
	}
	if f.Name != "" {
		where += ` AND lower(n.name) LIKE lower(?) ESCAPE '\'`
		args = append(args, likeContains(f.Name))
	}
	if f.Owner != "" {
		where += " AND n.owner = ?"
		args = append(args, f.Owner)
	}
	if f.FileType != nil {
		where += " AND n.file_type = ?"
		args = append(args, *f.FileType)
	}
	if f.SchedulerType != "" {
		where += " AND n.scheduler_type = ?"
		args = append(args, f.SchedulerType)
	}
	nodes := []*sluice.Node{}
	total, err := db.readListing(ctx, listing{count: "SELECT COUNT(*)" + from + where, page: "SELECT " + nodeColumns + from + where + " ORDER BY n.id LIMIT ? OFFSET ?",
		countArgs: args, pageArgs: args, limit: f.Limit, offset: f.Offset, prepared: true}, func(rows *sql.Rows) error {
		n, err := scanNode(rows)
		nodes = append(nodes, n)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return nodes, total, nil
}

// FindDeployment returns a project's deployment with its items.
func (db *DB) FindDeployment(ctx context.Context, projectID, id int64) (*sluice.Deployment, error) {
	var d sluice.Deployment
	var created, executed int64
	err := db.queryRow(ctx, `SELECT id, project_id, name, status, creator, handler, from_env, to_env, error_message,
		created_at, executed_at FROM deployments WHERE project_id = ? AND id = ?`, projectID, id).Scan(
		&d.ID, &d.ProjectID, &d.Name, &d.Status, &d.Creator, &d.Handler, &d.From, &d.To, &d.ErrorMessage, &created, &executed)
	if err != nil {
		return nil, notFound(err, "Deployment %d does not exist.", id)
	}
	d.CreatedAt, d.ExecutedAt = fromMillis(created), fromMillis(executed)
	rows, err := db.query(ctx, "SELECT file_id, file_version, status FROM deployment_items WHERE deployment_id = ? ORDER BY file_id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d.Items = []sluice.DeployedItem{}
	for rows.Next() {
		var it sluice.DeployedItem
		if err := rows.Scan(&it.FileID, &it.FileVersion, &it.Status); err != nil {
			return nil, err
		}
		d.Items = append(d.Items, it)
	}
	return &d, rows.Err()
}
