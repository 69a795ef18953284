package sqlstore

import (
	"context"
	"encoding/json"
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

// fileProperties is the PropertyContent of a version: the draft's properties at commit.
type fileProperties struct {
	FileName         string `json:"fileName"`
	FileType         int    `json:"fileType"`
	FileDescription  string `json:"fileDescription,omitempty"`
	FileFolderPath   string `json:"fileFolderPath,omitempty"`
	Owner            string `json:"owner,omitempty"`
	ConnectionName   string `json:"connectionName,omitempty"`
	AutoParsing      bool   `json:"autoParsing"`
	UseType          string `json:"useType,omitempty"`
	AdvancedSettings string `json:"advancedSettings,omitempty"`
}

func propertiesOf(f *sluice.File) string {
	b, err := json.Marshal(fileProperties{FileName: f.Name, FileType: f.Type, FileDescription: f.Description,
		FileFolderPath: f.FolderPath, Owner: f.Owner, ConnectionName: f.ConnectionName, AutoParsing: f.AutoParsing,
		UseType: string(f.UseType), AdvancedSettings: f.AdvancedSettings})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// insertVersion records the next version of f.
func (tx *Tx) insertVersion(ctx context.Context, f *sluice.File, version int, nodeID int64, c sluice.Commit, change string) (*sluice.FileVersion, error) {
	v := &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content,
		PropertyContent: propertiesOf(f), NodeContent: marshalSchedule(f.Schedule), NodeID: nodeID,
		CommitUser: c.User, CommitTime: fromMillis(millis(tx.now)), Comment: c.Comment, ChangeType: change,
		Status: sluice.VersionCommitted, UseType: f.UseType}
	_, err := tx.exec(ctx, `INSERT INTO file_versions (project_id, file_id, version, name, content, property_content,
		node_content, node_id, commit_user, commit_time, comment, change_type, status, is_current_prod, use_type)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ProjectID, f.ID, v.Version, v.Name, v.Content, v.PropertyContent, v.NodeContent, v.NodeID, v.CommitUser,
		millis(tx.now), v.Comment, v.ChangeType, v.Status, false, string(v.UseType))
	if isUnique(err) { // only if a writer skipped the lock
		return nil, sluice.Errorf(sluice.ECONFLICT, "File %d version %d was committed concurrently.", f.ID, version)
	}
	return v, err
}

// insertDeployment records a finished deployment of items.
func (tx *Tx) insertDeployment(ctx context.Context, d *sluice.Deployment) error {
	now := millis(tx.now)
	if d.Status == 0 {
		d.Status = sluice.DeploymentSuccess
	}
	if d.Handler == "" {
		d.Handler = d.Creator
	}
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

// putNode creates or replaces a file's node in env.
func (tx *Tx) putNode(ctx context.Context, f *sluice.File, id int64, env sluice.Env, version int) error {
	now := millis(tx.now)
	_, err := tx.exec(ctx, `INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type,
		owner, description, scheduler_type, schedule, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id, env) DO UPDATE SET file_version = excluded.file_version, workflow_id = excluded.workflow_id,
			name = excluded.name, file_type = excluded.file_type, owner = excluded.owner,
			description = excluded.description, scheduler_type = excluded.scheduler_type,
			schedule = excluded.schedule, updated_at = excluded.updated_at`,
		id, string(env), f.ProjectID, f.ID, version, f.WorkflowID, f.Name, f.Type, f.Owner, f.Description,
		f.Schedule.SchedulerType, marshalSchedule(f.Schedule), now, now)
	if err != nil {
		return fmt.Errorf("put %s node %d: %w", env, id, err)
	}
	return nil
}

// CommitFile snapshots the draft as the next version, creates or updates its DEV node (allocating the node
// id on the first commit) and records a local -> DEV deployment, in one transaction that holds the file's
// row lock: concurrent commits of one file get consecutive versions.
func (db *DB) CommitFile(ctx context.Context, projectID, fileID int64, c sluice.Commit) (*sluice.FileVersion, *sluice.Deployment, error) {
	var v *sluice.FileVersion
	var d *sluice.Deployment
	err := db.inTx(ctx, func(tx *Tx) error {
		f, err := tx.lockFile(ctx, projectID, fileID)
		if err != nil {
			return err
		}
		version := f.CurrentVersion + 1
		change := sluice.ChangeUpdate
		if f.CurrentVersion == 0 {
			change = sluice.ChangeCreate
		}
		nodeID := f.NodeID
		if nodeID == 0 {
			if nodeID, err = tx.nextNodeID(ctx); err != nil {
				return err
			}
		}
		// The node (and the version's NodeContent) carries the draft's schedule plus the AUTO inputs and
		// outputs of the version's lineage; the draft itself keeps only what its author set.
		var l *sluice.VersionLineage
		if c.Lineage != nil {
			l = c.Lineage(f)
		}
		f.Schedule = f.Schedule.WithLineage(l)
		if v, err = tx.insertVersion(ctx, f, version, nodeID, c, change); err != nil {
			return err
		}
		if l != nil {
			if err := tx.insertLineage(ctx, projectID, fileID, version, l); err != nil {
				return err
			}
		}
		if err := tx.putNode(ctx, f, nodeID, sluice.EnvDev, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE files SET commit_status = ?, current_version = ?, node_id = ? WHERE id = ?",
			sluice.Committed, version, nodeID, fileID); err != nil {
			return err
		}
		d = &sluice.Deployment{ProjectID: projectID, Name: f.Name, Creator: c.User, From: sluice.EnvCodeLocal, To: sluice.EnvCodeDev,
			Items: []sluice.DeployedItem{{FileID: fileID, FileVersion: version, Status: 1}}}
		return tx.insertDeployment(ctx, d)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("commit file %d: %w", fileID, err)
	}
	return v, d, nil
}

// DeployFile publishes the last committed version to PROD: the PROD node takes the DEV node's id and
// contents, the version becomes the current production one, and a DEV -> PROD deployment is recorded.
func (db *DB) DeployFile(ctx context.Context, projectID, fileID int64, c sluice.Commit) (*sluice.Deployment, error) {
	var d *sluice.Deployment
	err := db.inTx(ctx, func(tx *Tx) error {
		f, err := tx.lockFile(ctx, projectID, fileID)
		if err != nil {
			return err
		}
		if f.CurrentVersion == 0 || f.NodeID == 0 {
			return sluice.Errorf(sluice.ECONFLICT, "File %d has no committed version to deploy; submit it first.", fileID)
		}
		now := millis(tx.now)
		if _, err := tx.exec(ctx, `INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type,
			owner, description, scheduler_type, schedule, created_at, updated_at)
			SELECT id, 'PROD', project_id, file_id, file_version, workflow_id, name, file_type, owner, description,
				scheduler_type, schedule, ?, ? FROM nodes WHERE id = ? AND env = 'DEV'
			ON CONFLICT (id, env) DO UPDATE SET file_version = excluded.file_version, workflow_id = excluded.workflow_id,
				name = excluded.name, file_type = excluded.file_type, owner = excluded.owner,
				description = excluded.description, scheduler_type = excluded.scheduler_type,
				schedule = excluded.schedule, updated_at = excluded.updated_at`, now, now, f.NodeID); err != nil {
			return fmt.Errorf("put PROD node: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE file_versions SET is_current_prod = (version = ?),
			status = CASE WHEN version = ? THEN ? ELSE status END WHERE file_id = ?`,
			f.CurrentVersion, f.CurrentVersion, sluice.VersionDeployed, fileID); err != nil {
			return err
		}
		d = &sluice.Deployment{ProjectID: projectID, Name: f.Name, Creator: c.User, From: sluice.EnvCodeDev, To: sluice.EnvCodeProd,
			Items: []sluice.DeployedItem{{FileID: fileID, FileVersion: f.CurrentVersion, Status: 1}}}
		return tx.insertDeployment(ctx, d)
	})
	if err != nil {
		return nil, fmt.Errorf("deploy file %d: %w", fileID, err)
	}
	return d, nil
}

// DeleteFile deletes a file's draft. A file never committed just goes (d.ID stays 0). A committed file
// gets a last version with ChangeType DELETE, loses its DEV and PROD nodes, and d is recorded as the
// deployment that deleted it (From and To default to DEV -> PROD); its versions stay readable.
func (db *DB) DeleteFile(ctx context.Context, projectID, id int64, d *sluice.Deployment) error {
	if d == nil {
		d = &sluice.Deployment{}
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		f, err := tx.lockFile(ctx, projectID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM files WHERE id = ?", id); err != nil {
			return err
		}
		if f.CurrentVersion == 0 {
			return nil
		}
		version := f.CurrentVersion + 1
		if _, err := tx.insertVersion(ctx, f, version, f.NodeID, sluice.Commit{User: d.Creator, Comment: "delete"}, sluice.ChangeDelete); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM nodes WHERE id = ?", f.NodeID); err != nil {
			return err
		}
		d.ProjectID = projectID
		if d.Name == "" {
			d.Name = f.Name
		}
		if d.From == 0 && d.To == 0 {
			d.From, d.To = sluice.EnvCodeDev, sluice.EnvCodeProd
		}
		d.Items = []sluice.DeployedItem{{FileID: id, FileVersion: version, Status: 1}}
		return tx.insertDeployment(ctx, d)
	})
	if err != nil {
		return fmt.Errorf("delete file %d: %w", id, err)
	}
	return nil
}

const versionColumns = "file_id, version, name, content, property_content, node_content, node_id, commit_user, commit_time," +
	" comment, change_type, status, is_current_prod, use_type"

func scanVersion(row interface{ Scan(...any) error }) (*sluice.FileVersion, error) {
	var v sluice.FileVersion
	var commit int64
	var useType string
	if err := row.Scan(&v.FileID, &v.Version, &v.Name, &v.Content, &v.PropertyContent, &v.NodeContent, &v.NodeID,
		&v.CommitUser, &commit, &v.Comment, &v.ChangeType, &v.Status, &v.IsCurrentProd, &useType); err != nil {
		return nil, err
	}
	v.CommitTime, v.UseType = fromMillis(commit), sluice.UseType(useType)
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
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM file_versions WHERE project_id = ? AND file_id = ?", projectID, fileID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, "SELECT "+versionColumns+" FROM file_versions WHERE project_id = ? AND file_id = ? ORDER BY version DESC LIMIT ? OFFSET ?",
		projectID, fileID, pageLimit(limit), offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	vs := []*sluice.FileVersion{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, 0, err
		}
		vs = append(vs, v)
	}
	return vs, total, rows.Err()
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
	if err := json.Unmarshal([]byte(schedule), &n.Schedule); err != nil {
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
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*)"+from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, "SELECT "+nodeColumns+from+where+" ORDER BY n.id LIMIT ? OFFSET ?", append(args, pageLimit(f.Limit), f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	nodes := []*sluice.Node{}
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, 0, err
		}
		nodes = append(nodes, n)
	}
	return nodes, total, rows.Err()
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
