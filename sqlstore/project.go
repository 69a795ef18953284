package sqlstore

import (
	"context"
	"database/sql"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

// CreateProject inserts p and its owner membership in one transaction, filling IDs and times.
func (db *DB) CreateProject(ctx context.Context, p *sluice.Project, owner *sluice.Member) error {
	return db.inTx(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		err := tx.queryRow(ctx, `INSERT INTO projects
			(name, uuid, account_id, owner_id, display_name, comment, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.Name, p.UUID, p.AccountID, p.OwnerID, p.DisplayName, p.Comment, now, now).Scan(&p.ID)
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "Project %q already exists.", p.Name)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "The project's owner or account does not exist.")
		case err != nil:
			return err
		}
		p.CreatedAt, p.UpdatedAt = fromMillis(now), fromMillis(now)
		owner.ProjectID, owner.CreatedAt = p.ID, fromMillis(now)
		_, err = tx.exec(ctx, "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
			p.ID, owner.UserID, string(owner.Role), now)
		return err
	})
}

const projectColumns = "p.id, p.name, p.uuid, p.account_id, p.owner_id, u.name, p.display_name, p.comment, p.created_at, p.updated_at"

// scanProject reads projectColumns, followed by the extra columns the query selects.
func scanProject(row interface{ Scan(...any) error }, extra ...any) (*sluice.Project, error) {
	var p sluice.Project
	var created, updated int64
	dest := append([]any{&p.ID, &p.Name, &p.UUID, &p.AccountID, &p.OwnerID, &p.OwnerName, &p.DisplayName, &p.Comment, &created, &updated}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &p, nil
}

// FindProject returns the project ref names.
func (db *DB) FindProject(ctx context.Context, ref sluice.ProjectRef) (*sluice.Project, error) {
	cond, arg := projectCond(ref)
	p, err := scanProject(db.queryRow(ctx, "SELECT "+projectColumns+" FROM projects p JOIN users u ON u.id = p.owner_id WHERE "+cond, arg))
	if err != nil {
		return nil, notFound(err, "Project %s does not exist.", ref)
	}
	return p, nil
}

// projectCond is the condition on projects p selecting the project ref names, with its argument.
func projectCond(ref sluice.ProjectRef) (string, any) {
	switch {
	case ref.Name != "":
		return "p.name = ?", ref.Name
	case ref.UUID != "":
		return "p.uuid = ?", ref.UUID
	}
	return "p.id = ?", ref.ID
}

// FindProjectMember returns the project ref names and userID's membership of it (nil: not a member) in one
// statement. Every project-scoped request is authorized with both; read apart they were two statements, and
// on PostgreSQL two round trips, on the way to every answer.
func (db *DB) FindProjectMember(ctx context.Context, ref sluice.ProjectRef, userID int64) (*sluice.Project, *sluice.Member, error) {
	cond, arg := projectCond(ref)
	var role, name sql.NullString
	var created sql.NullInt64
	p, err := scanProject(db.queryRow(ctx, "SELECT "+projectColumns+", m.role, mu.name, m.created_at"+
		" FROM projects p JOIN users u ON u.id = p.owner_id"+
		" LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ? LEFT JOIN users mu ON mu.id = m.user_id"+
		" WHERE "+cond, userID, arg), &role, &name, &created)
	if err != nil {
		return nil, nil, notFound(err, "Project %s does not exist.", ref)
	}
	if !role.Valid {
		return p, nil, nil
	}
	return p, &sluice.Member{ProjectID: p.ID, UserID: userID, UserName: name.String, Role: sluice.Role(role.String),
		CreatedAt: fromMillis(created.Int64)}, nil
}

// FindProjects returns a page of projects in name order and the count the filter selects. The common
// shapes take one query: without a marker the count rides along as a window over the same rows, and with
// NoTotal there is none; only marker paging that wants a total (or a page past the end) counts separately.
func (db *DB) FindProjects(ctx context.Context, f sluice.ProjectFilter) ([]*sluice.Project, int, error) {
	from := " FROM projects p JOIN users u ON u.id = p.owner_id"
	where := " WHERE 1 = 1"
	var args []any
	if f.MemberID != nil {
		from += " JOIN project_members m ON m.project_id = p.id AND m.user_id = ?"
		args = append(args, *f.MemberID)
	}
	if f.Prefix != "" {
		cond, cargs := hasPrefix("p.name", f.Prefix)
		where += " AND " + cond
		args = append(args, cargs...)
	}
	count := func() (int, error) {
		var total int
		err := db.queryRow(ctx, "SELECT COUNT(*)"+from+where, args[:len(args):len(args)]...).Scan(&total)
		return total, err
	}
	total, windowed := -1, false
	switch {
	case f.NoTotal:
	case f.After != "":
		var err error
		if total, err = count(); err != nil {
			return nil, 0, err
		}
	default:
		windowed = true
	}
	pageArgs := append([]any(nil), args...)
	if f.After != "" {
		where += " AND p.name > ?"
		pageArgs = append(pageArgs, f.After)
	}
	cols := projectColumns
	if windowed {
		cols += ", COUNT(*) OVER ()"
	}
	query := "SELECT " + cols + from + where + " ORDER BY p.name"
	if f.Limit > 0 || f.Offset > 0 {
		query += " LIMIT ? OFFSET ?"
		pageArgs = append(pageArgs, pageLimit(f.Limit), f.Offset)
	}

	rows, err := db.query(ctx, query, pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	projects := []*sluice.Project{}
	for rows.Next() {
		var p *sluice.Project
		if windowed {
			p, err = scanProject(rows, &total)
		} else {
			p, err = scanProject(rows)
		}
		if err != nil {
			return nil, 0, err
		}
		projects = append(projects, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if windowed && len(projects) == 0 {
		if f.Offset == 0 {
			total = 0
		} else if total, err = count(); err != nil { // a page past the end carries no window
			return nil, 0, err
		}
	}
	return projects, total, nil
}

// hasPrefix returns a condition that col starts with prefix, and its arguments. It compares characters
// exactly on both databases: SQLite's LIKE ignores ASCII case where PostgreSQL's does not, and names that
// differ only in case are different names.
func hasPrefix(col, prefix string) (string, []any) {
	return "substr(" + col + ", 1, ?) = ?", []any{utf8.RuneCountInString(prefix), prefix}
}

// DeleteProject deletes a project and, by cascade, everything in it.
func (db *DB) DeleteProject(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		// The projects its packages were installed into lose them by cascade: their listings change.
		c := &catalogTx{db: db, tx: tx.tx, now: millis(tx.now), write: true}
		if err := c.bumpListings(ctx, "SELECT project_id FROM package_installs WHERE source_project_id = ?", id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "DELETE FROM projects WHERE id = ?", id)
		return checkAffected(res, err, "Project %d does not exist.", id)
	})
}

const memberColumns = "m.project_id, m.user_id, u.name, m.role, m.created_at"

func scanMember(row interface{ Scan(...any) error }) (*sluice.Member, error) {
	var m sluice.Member
	var role string
	var created int64
	if err := row.Scan(&m.ProjectID, &m.UserID, &m.UserName, &role, &created); err != nil {
		return nil, err
	}
	m.Role, m.CreatedAt = sluice.Role(role), fromMillis(created)
	return &m, nil
}

// FindMember returns a user's membership of a project.
func (db *DB) FindMember(ctx context.Context, projectID, userID int64) (*sluice.Member, error) {
	m, err := scanMember(db.queryRow(ctx, "SELECT "+memberColumns+
		" FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND m.user_id = ?", projectID, userID))
	if err != nil {
		return nil, notFound(err, "User %d is not a member of project %d.", userID, projectID)
	}
	return m, nil
}

// FindMembers returns a project's members by user name.
func (db *DB) FindMembers(ctx context.Context, projectID int64) ([]*sluice.Member, error) {
	rows, err := db.query(ctx, "SELECT "+memberColumns+
		" FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.name", projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	members := []*sluice.Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	return members, rows.Err()
}

// ChangeMember reads a project's members in a write transaction that locks the project against other
// membership changes, lets change decide the membership of userID (nil: none), and stores it. Rules that
// span members (a project keeps an owner) therefore hold under concurrent changes.
func (db *DB) ChangeMember(ctx context.Context, projectID, userID int64, change func(members []*sluice.Member) (*sluice.Member, error)) (*sluice.Member, error) {
	var m *sluice.Member
	err := db.inTx(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.queryRow(ctx, "SELECT id FROM projects WHERE id = ?"+db.forUpdate(), projectID).Scan(&id); err != nil {
			return notFound(err, "Project %d does not exist.", projectID)
		}
		rows, err := tx.tx.QueryContext(ctx, db.q("SELECT "+memberColumns+
			" FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.name"), projectID)
		if err != nil {
			return err
		}
		members := []*sluice.Member{}
		for rows.Next() {
			mm, err := scanMember(rows)
			if err != nil {
				rows.Close()
				return err
			}
			members = append(members, mm)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if m, err = change(members); err != nil {
			return err
		}
		if m == nil {
			_, err := tx.exec(ctx, "DELETE FROM project_members WHERE project_id = ? AND user_id = ?", projectID, userID)
			return err
		}
		var created int64
		err = tx.queryRow(ctx, `INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role RETURNING created_at`,
			projectID, userID, string(m.Role), millis(tx.now)).Scan(&created)
		if isForeignKey(err) {
			return sluice.Errorf(sluice.ENOTFOUND, "User %d does not exist.", userID)
		}
		m.ProjectID, m.UserID, m.CreatedAt = projectID, userID, fromMillis(created)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}
