package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sluice-dev/sluice"
)

var _ sluice.ResourceStore = (*DB)(nil)

const resourceColumns = "id, project_id, group_name, name, kind, status, reason, underlying_name, owner, source, async," +
	" size, sha256, blob_key, tags, created_at, updated_at"

type tagRecord struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func marshalTags(tags []sluice.Tag) string {
	b, err := json.Marshal(convertAll(tags, func(t sluice.Tag) tagRecord { return tagRecord(t) }))
	if err != nil {
		panic(err)
	}
	if tags == nil {
		return "[]"
	}
	return string(b)
}

func scanResource(row interface{ Scan(...any) error }) (*sluice.Resource, error) {
	var r sluice.Resource
	var kind, status, tags string
	var created, updated int64
	if err := row.Scan(&r.ID, &r.ProjectID, &r.Group, &r.Name, &kind, &status, &r.Reason, &r.UnderlyingName, &r.Owner,
		&r.Source, &r.Async, &r.Size, &r.SHA256, &r.BlobKey, &tags, &created, &updated); err != nil {
		return nil, err
	}
	r.Kind, r.Status = sluice.ResourceKind(kind), sluice.UploadStatus(status)
	r.CreatedAt, r.UpdatedAt = fromMillis(created), fromMillis(updated)
	if tags == "[]" { // most resources: skip the decoder
		return &r, nil
	}
	var records []tagRecord
	if err := json.Unmarshal([]byte(tags), &records); err != nil {
		return nil, fmt.Errorf("resource %d: tags: %w", r.ID, err)
	}
	r.Tags = convertAll(records, func(t tagRecord) sluice.Tag { return sluice.Tag(t) })
	return &r, nil
}

const groupColumns = "project_id, name, owner, async, created_at, updated_at"

func scanGroup(row interface{ Scan(...any) error }) (*sluice.ResourceGroup, error) {
	var g sluice.ResourceGroup
	var created, updated int64
	if err := row.Scan(&g.ProjectID, &g.Name, &g.Owner, &g.Async, &created, &updated); err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &g, nil
}

// FindResources returns a project's resources of a kind (all kinds when f.Kind is ""), by group and name,
// and the groups that hold any of them. Tags are the core's to filter.
func (db *DB) FindResources(ctx context.Context, f sluice.ResourceFilter) ([]*sluice.Resource, []*sluice.ResourceGroup, error) {
	where, args := " WHERE project_id = ?", []any{f.ProjectID}
	if f.Kind != "" {
		where += " AND kind = ?"
		args = append(args, string(f.Kind))
	}
	rows, err := db.query(ctx, "SELECT "+resourceColumns+" FROM resources"+where+" ORDER BY group_name, name", args...)
	rs, err := collect(rows, err, scanResource)
	if err != nil {
		return nil, nil, err
	}
	grows, err := db.query(ctx, "SELECT "+groupColumns+" FROM resource_groups WHERE project_id = ? ORDER BY name", f.ProjectID)
	gs, err := collect(grows, err, scanGroup)
	if err != nil {
		return nil, nil, err
	}
	return rs, gs, nil
}

// collect scans every row of rows (the result of a query that failed with err, if it did) and closes them.
func collect[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindResource returns a resource by group ("" ungrouped) and name.
func (db *DB) FindResource(ctx context.Context, projectID int64, group, name string) (*sluice.Resource, error) {
	r, err := scanResource(db.queryRow(ctx, "SELECT "+resourceColumns+" FROM resources WHERE project_id = ? AND group_name = ? AND name = ?",
		projectID, group, name))
	if err != nil {
		return nil, notFound(err, "Resource %s does not exist.", resourcePath(group, name))
	}
	return r, nil
}

// lockResource reads a resource in a write transaction, its row locked on PostgreSQL (SQLite's writers
// run one at a time).
func (tx *Tx) lockResource(ctx context.Context, projectID int64, group, name string) (*sluice.Resource, error) {
	r, err := scanResource(tx.queryRow(ctx, "SELECT "+resourceColumns+" FROM resources WHERE project_id = ? AND group_name = ? AND name = ?"+
		tx.db.forUpdate(), projectID, group, name))
	if err != nil {
		return nil, notFound(err, "Resource %s does not exist.", resourcePath(group, name))
	}
	return r, nil
}

// bumpResources moves a project's resource version on.
func (tx *Tx) bumpResources(ctx context.Context, projectID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO resource_versions (project_id, version) VALUES (?, 1)
		ON CONFLICT (project_id) DO UPDATE SET version = resource_versions.version + 1`, projectID)
	if err != nil {
		return fmt.Errorf("bump resource version: %w", err)
	}
	return nil
}

// ResourceVersion is a project's resource version: it moves on with every change of its resources.
func (db *DB) ResourceVersion(ctx context.Context, projectID int64) (int64, error) {
	var v int64
	err := db.queryRow(ctx, "SELECT version FROM resource_versions WHERE project_id = ?", projectID).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

func resourcePath(group, name string) string {
	if group == "" {
		return name
	}
	return group + "/" + name
}

// CreateUpload records an upload in one transaction: the group, the resources (replacing those of the same
// names), and the job that copies their bytes.
func (db *DB) CreateUpload(ctx context.Context, projectID int64, g *sluice.ResourceGroup, rs []*sluice.Resource, job *sluice.Job) ([]*sluice.Resource, error) {
	var replaced []*sluice.Resource
	err := db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		group := ""
		if g != nil {
			group = g.Name
			var created, updated int64
			err := tx.queryRow(ctx, `INSERT INTO resource_groups (project_id, name, owner, async, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (project_id, name) DO UPDATE SET async = excluded.async, updated_at = excluded.updated_at
				RETURNING owner, created_at, updated_at`, projectID, g.Name, g.Owner, g.Async, now, now).Scan(&g.Owner, &created, &updated)
			if isForeignKey(err) {
				return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", projectID)
			}
			if err != nil {
				return fmt.Errorf("put group %q: %w", g.Name, err)
			}
			g.ProjectID, g.CreatedAt, g.UpdatedAt = projectID, fromMillis(created), fromMillis(updated)
		}
		for _, r := range rs {
			old, err := tx.lockResource(ctx, projectID, group, r.Name)
			switch {
			case err == nil:
				replaced = append(replaced, old)
				if _, err := tx.exec(ctx, "DELETE FROM resources WHERE id = ?", old.ID); err != nil {
					return err
				}
			case sluice.ErrorCode(err) != sluice.ENOTFOUND:
				return err
			}
			r.ProjectID, r.Group = projectID, group
			if old != nil {
				r.CreatedAt = old.CreatedAt // a replaced resource keeps the time it first appeared
			} else {
				r.CreatedAt = fromMillis(now)
			}
			r.UpdatedAt = fromMillis(now)
			err = tx.queryRow(ctx, `INSERT INTO resources (project_id, group_name, name, kind, status, reason, underlying_name, owner,
				source, async, size, sha256, blob_key, tags, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				projectID, group, r.Name, string(r.Kind), string(r.Status), r.Reason, r.UnderlyingName, r.Owner, r.Source, r.Async,
				r.Size, r.SHA256, r.BlobKey, marshalTags(r.Tags), millis(r.CreatedAt), now).Scan(&r.ID)
			if isForeignKey(err) {
				return sluice.Errorf(sluice.ENOTFOUND, "Project %d does not exist.", projectID)
			}
			if err != nil {
				return fmt.Errorf("put resource %s: %w", resourcePath(group, r.Name), err)
			}
		}
		if err := tx.bumpResources(ctx, projectID); err != nil {
			return err
		}
		if job != nil {
			return tx.insertJob(ctx, job)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return replaced, nil
}

// FinishResource records the end of a copy, unless the resource was replaced or deleted meanwhile.
func (db *DB) FinishResource(ctx context.Context, r *sluice.Resource) (bool, error) {
	var done bool
	err := db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		res, err := tx.exec(ctx, `UPDATE resources SET status = ?, reason = ?, size = ?, sha256 = ?, blob_key = ?, updated_at = ?
			WHERE id = ? AND underlying_name = ? AND status = ?`,
			string(r.Status), r.Reason, r.Size, r.SHA256, r.BlobKey, now, r.ID, r.UnderlyingName, string(sluice.UploadUploading))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		done, r.UpdatedAt = true, fromMillis(now)
		if _, err = tx.exec(ctx, `UPDATE resource_groups SET updated_at = ? WHERE project_id = ?
			AND name = (SELECT group_name FROM resources WHERE id = ?)`, now, r.ProjectID, r.ID); err != nil {
			return err
		}
		return tx.bumpResources(ctx, r.ProjectID)
	})
	return done, err
}

// DeleteResource removes a resource, and its group when nothing else is left in it.
func (db *DB) DeleteResource(ctx context.Context, projectID int64, group, name string) (*sluice.Resource, error) {
	var r *sluice.Resource
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.lockResource(ctx, projectID, group, name); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM resources WHERE id = ?", r.ID); err != nil {
			return err
		}
		if err := tx.bumpResources(ctx, projectID); err != nil {
			return err
		}
		if group == "" {
			return nil
		}
		_, err = tx.exec(ctx, `DELETE FROM resource_groups WHERE project_id = ? AND name = ?
			AND NOT EXISTS (SELECT 1 FROM resources WHERE project_id = ? AND group_name = ?)`, projectID, group, projectID, group)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ChangeResource stores the Owner and Tags that change sets on the locked resource.
func (db *DB) ChangeResource(ctx context.Context, projectID int64, group, name string, change func(r *sluice.Resource) error) (*sluice.Resource, error) {
	var r *sluice.Resource
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.lockResource(ctx, projectID, group, name); err != nil {
			return err
		}
		if err := change(r); err != nil {
			return err
		}
		now := millis(tx.now)
		r.UpdatedAt = fromMillis(now)
		if _, err = tx.exec(ctx, "UPDATE resources SET owner = ?, tags = ?, updated_at = ? WHERE id = ?", r.Owner, marshalTags(r.Tags), now, r.ID); err != nil {
			return err
		}
		return tx.bumpResources(ctx, projectID)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ChangeResourceGroup stores the Owner that change sets on the locked group.
func (db *DB) ChangeResourceGroup(ctx context.Context, projectID int64, group string, change func(g *sluice.ResourceGroup) error) error {
	return db.inTx(ctx, func(tx *Tx) error {
		g, err := scanGroup(tx.queryRow(ctx, "SELECT "+groupColumns+" FROM resource_groups WHERE project_id = ? AND name = ?"+db.forUpdate(),
			projectID, group))
		if err != nil {
			return notFound(err, "Group %s does not exist.", group)
		}
		if err := change(g); err != nil {
			return err
		}
		if _, err = tx.exec(ctx, "UPDATE resource_groups SET owner = ?, updated_at = ? WHERE project_id = ? AND name = ?",
			g.Owner, millis(tx.now), projectID, group); err != nil {
			return err
		}
		return tx.bumpResources(ctx, projectID)
	})
}

// ResourceBlobKeys calls fn with every blob key resources hold.
func (db *DB) ResourceBlobKeys(ctx context.Context, fn func(key string) error) error {
	rows, err := db.query(ctx, "SELECT blob_key FROM resources WHERE blob_key <> ''")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return err
		}
		if err := fn(key); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (tx *Tx) insertJob(ctx context.Context, j *sluice.Job) error {
	now := millis(tx.now)
	err := tx.queryRow(ctx, `INSERT INTO jobs (kind, payload, attempts, lease_owner, lease_until, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, j.Kind, j.Payload, j.Attempts, j.LeaseOwner, millis(j.LeaseUntil), now).Scan(&j.ID)
	if err != nil {
		return fmt.Errorf("enqueue %s job: %w", j.Kind, err)
	}
	j.CreatedAt = fromMillis(now)
	return nil
}

// ClaimJob leases the oldest free job of kind. On PostgreSQL, SKIP LOCKED lets servers claim different
// jobs at once; SQLite's writers run one at a time anyway. The transaction checks again: another server
// may have claimed the job since the read.
func (db *DB) ClaimJob(ctx context.Context, kind, owner string, lease time.Duration) (*sluice.Job, error) {
	// Every server asks every second and there is seldom a job: a read tells first, without taking
	// SQLite's one writer (or a PostgreSQL write transaction) for nothing.
	var free bool
	err := db.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = ? AND lease_until < ?)", kind, millis(db.Now())).Scan(&free)
	if err != nil || !free {
		return nil, err
	}
	var j *sluice.Job
	err = db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		skip := ""
		if db.dialect == Postgres {
			skip = " FOR UPDATE SKIP LOCKED"
		}
		var id int64
		err := tx.queryRow(ctx, "SELECT id FROM jobs WHERE kind = ? AND lease_until < ? ORDER BY id LIMIT 1"+skip, kind, now).Scan(&id)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		j = &sluice.Job{ID: id, LeaseOwner: owner}
		var until, created int64
		err = tx.queryRow(ctx, `UPDATE jobs SET attempts = attempts + 1, lease_owner = ?, lease_until = ? WHERE id = ?
			RETURNING kind, payload, attempts, lease_until, created_at`, owner, now+lease.Milliseconds(), id).Scan(
			&j.Kind, &j.Payload, &j.Attempts, &until, &created)
		j.LeaseUntil, j.CreatedAt = fromMillis(until), fromMillis(created)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim %s job: %w", kind, err)
	}
	return j, nil
}

// ExtendJob renews a lease its owner still holds.
func (db *DB) ExtendJob(ctx context.Context, id int64, owner string, lease time.Duration) error {
	return db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		res, err := tx.exec(ctx, "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND lease_until >= ?",
			now+lease.Milliseconds(), id, owner, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = sluice.Errorf(sluice.ECONFLICT, "The lease of job %d was lost.", id)
			}
			return err
		}
		return nil
	})
}

// DeleteJob removes a job.
func (db *DB) DeleteJob(ctx context.Context, id int64) error {
	_, err := db.exec(ctx, "DELETE FROM jobs WHERE id = ?", id)
	return err
}

// ReleaseJobLeases frees every claimed job at once. Only for a server that knows it is the database's only
// one (SQLite): the leases it finds at start are its own predecessor's, which died.
func (db *DB) ReleaseJobLeases(ctx context.Context) (int64, error) {
	res, err := db.exec(ctx, "UPDATE jobs SET lease_until = 0 WHERE lease_until > 0")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
