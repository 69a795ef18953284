package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// nextVersion is the version a change of f records next, as the core builds it.
func nextVersion(f *sluice.File, change string) *sluice.FileVersion {
	return &sluice.FileVersion{FileID: f.ID, Version: f.CurrentVersion + 1, Name: f.Name, Content: f.Content,
		Properties: sluice.FileProperties{Type: f.Type, Owner: f.Owner, FolderPath: f.FolderPath}, Schedule: f.Schedule,
		NodeID: f.NodeID, CommitUser: "u", ChangeType: change, Status: sluice.VersionCommitted, UseType: f.UseType}
}

// commitColumns stores a commit of a file as SubmitFile does: the next version with its table and column
// lineage (nil edges: a version without lineage), the DEV node moved to it, and the deployment.
func commitColumns(ctx context.Context, db *sqlstore.DB, projectID, fileID int64, edges []sluice.ColumnEdge) error {
	_, err := db.ChangeFile(ctx, projectID, fileID, func(f *sluice.File) (*sluice.FileChange, error) {
		v := nextVersion(f, sluice.ChangeUpdate)
		var l *sluice.VersionLineage
		if edges != nil {
			l = storetest.ColumnLineage(edges...)
			l.FileID = f.ID
		}
		n := &sluice.Node{ID: f.NodeID, Env: sluice.EnvDev, FileID: f.ID, FileVersion: v.Version, WorkflowID: f.WorkflowID,
			Name: f.Name, FileType: f.Type, Owner: f.Owner, Schedule: f.Schedule}
		f.CommitStatus, f.CurrentVersion = sluice.Committed, v.Version
		return &sluice.FileChange{File: f, Version: v, Lineage: l, Node: n, Deployment: &sluice.Deployment{Name: f.Name,
			Status: sluice.DeploymentSuccess, From: sluice.EnvCodeLocal, To: sluice.EnvCodeDev,
			Items: []sluice.DeployedItem{{FileID: f.ID, FileVersion: v.Version, Status: 1}}}}, nil
	})
	return err
}

// eachColumnStore runs test on an empty store of each database with a project p, given a plain connection to
// the same database and the store's address.
func eachColumnStore(t *testing.T, test func(t *testing.T, db *sqlstore.DB, raw *sql.DB, dsn string, p *sluice.Project)) {
	sqlstore.EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) {
		dsn := newDSN(t)
		db := sqlstore.OpenTest(t, dsn, nil)
		test(t, db, sqlstore.OpenRaw(t, dsn), dsn, benchProjects(t, db, "p", 1)[0])
	})
}

// newColumnFile creates a draft of a SQL file.
func newColumnFile(t testing.TB, db *sqlstore.DB, projectID int64, name string) *sluice.File {
	t.Helper()
	f := &sluice.File{ProjectID: projectID, Name: name, Type: 10, Content: "INSERT ...", Owner: "u"}
	if err := db.CreateFile(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

// checkCurrentLineage fails unless the lineage rows flagged current are exactly those of the version their
// file's node runs: column edges in DEV, table rows in DEV and in PROD (moveCurrentLineage).
func checkCurrentLineage(t *testing.T, raw *sql.DB, when string) {
	t.Helper()
	for _, c := range []struct{ table, flag, env string }{
		{"version_column_lineage", "dev_current", "DEV"}, {"version_lineage", "dev_current", "DEV"}, {"version_lineage", "prod_current", "PROD"},
	} {
		var wrong, current int
		err := raw.QueryRow(`SELECT COALESCE(SUM(CASE WHEN `+c.flag+` = (n.file_id IS NOT NULL) THEN 0 ELSE 1 END), 0),
				COALESCE(SUM(CASE WHEN `+c.flag+` THEN 1 ELSE 0 END), 0)
			FROM `+c.table+` e LEFT JOIN nodes n ON n.file_id = e.file_id AND n.env = '`+c.env+`' AND n.file_version = e.version`).
			Scan(&wrong, &current)
		if err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Fatalf("%s: %d rows of %s flagged unlike their %s node (%d flagged current)", when, wrong, c.table, c.env, current)
		}
	}
}

// TestColumnLineageCurrent checks that the edges served as current follow the DEV node on both databases:
// a recommit replaces a file's edges (also with a version that has none), a deleted file's drop out, a
// deployment to PROD changes nothing, a deleted project takes its own, and every version keeps what it
// recorded. After each step the flags must equal what joining the nodes gives.
func TestColumnLineageCurrent(t *testing.T) {
	eachColumnStore(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB, _ string, p *sluice.Project) {
		ctx := context.Background()
		q := benchProjects(t, db, "q", 1)[0]
		const t1, s1, s2, s3, s4, s5 = "odps.p.t.c1", "odps.p.s.c1", "odps.p.s.c2", "odps.p.s.c3", "odps.p.s.c4", "odps.q.s.c5"
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		edge := func(target, source string) sluice.ColumnEdge {
			return sluice.ColumnEdge{Target: target, Source: source, Kind: sluice.ColumnDirect}
		}
		links := func(guid string, dir sluice.LineageDirection, num, size int, ids []int64) string {
			t.Helper()
			ls, total, err := db.FindColumnLinks(ctx, sluice.ColumnQuery{Guid: guid, Direction: dir, PageNum: num, PageSize: size, ProjectIDs: ids})
			must(err)
			var gs []string
			for _, l := range ls {
				gs = append(gs, l.Guid)
			}
			return fmt.Sprintf("%s of %d", strings.Join(gs, " "), total)
		}
		check := func(what, got, want string) {
			t.Helper()
			if got != want {
				t.Fatalf("%s = %q, want %q", what, got, want)
			}
			checkCurrentLineage(t, raw, what)
		}

		a, b := newColumnFile(t, db, p.ID, "a"), newColumnFile(t, db, p.ID, "b")
		must(commitColumns(ctx, db, p.ID, a.ID, []sluice.ColumnEdge{edge(t1, s1), edge("odps.p.t.c2", s2)}))
		must(commitColumns(ctx, db, p.ID, b.ID, []sluice.ColumnEdge{edge(t1, s3)}))
		check("up after commits", links(t1, sluice.Upstream, 1, 10, nil), s1+" "+s3+" of 2")

		// A recommit replaces a's edges; its first version keeps them.
		must(commitColumns(ctx, db, p.ID, a.ID, []sluice.ColumnEdge{edge(t1, s4)}))
		check("up after recommit", links(t1, sluice.Upstream, 1, 10, nil), s3+" "+s4+" of 2")
		check("down s1 after recommit", links(s1, sluice.Downstream, 1, 10, nil), " of 0")
		l, err := db.FindVersionLineage(ctx, p.ID, a.ID, 1)
		must(err)
		if len(l.Columns) != 2 {
			t.Fatalf("version 1 after recommit = %+v", l.Columns)
		}
		// A version without lineage leaves the file no current edge; the next brings them back.
		must(commitColumns(ctx, db, p.ID, a.ID, nil))
		check("up after a version without lineage", links(t1, sluice.Upstream, 1, 10, nil), s3+" of 1")
		must(commitColumns(ctx, db, p.ID, a.ID, []sluice.ColumnEdge{edge(t1, s4)}))
		check("up after lineage again", links(t1, sluice.Upstream, 1, 10, nil), s3+" "+s4+" of 2")

		// Deploying to PROD moves no DEV edge.
		_, err = db.ChangeFile(ctx, p.ID, a.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{File: f, PublishNode: true, ProdVersion: f.CurrentVersion}, nil
		})
		must(err)
		check("up after deploy", links(t1, sluice.Upstream, 1, 10, nil), s3+" "+s4+" of 2")

		// Deleting b (a last version, as DeleteFile records it) drops its edges; its version keeps them.
		_, err = db.ChangeFile(ctx, p.ID, b.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{Delete: true, Version: nextVersion(f, sluice.ChangeDelete)}, nil
		})
		must(err)
		check("up after delete", links(t1, sluice.Upstream, 1, 10, nil), s4+" of 1")
		if l, err := db.FindVersionLineage(ctx, p.ID, b.ID, 1); err != nil || len(l.Columns) != 1 {
			t.Fatalf("deleted file's version = %+v, %v", l, err)
		}

		// Another project's file: the filter keeps each project's edges; totals of full and past pages.
		c := newColumnFile(t, db, q.ID, "c")
		must(commitColumns(ctx, db, q.ID, c.ID, []sluice.ColumnEdge{edge(t1, s5), edge(t1, s2)}))
		check("up in p", links(t1, sluice.Upstream, 1, 10, []int64{p.ID}), s4+" of 1")
		check("up in q", links(t1, sluice.Upstream, 1, 10, []int64{q.ID}), s2+" "+s5+" of 2")
		check("up in none", links(t1, sluice.Upstream, 1, 10, []int64{}), " of 0")
		check("up in both", links(t1, sluice.Upstream, 1, 10, []int64{q.ID, p.ID}), s2+" "+s4+" "+s5+" of 3")
		check("full page", links(t1, sluice.Upstream, 1, 3, nil), s2+" "+s4+" "+s5+" of 3")
		check("page 2 of 2", links(t1, sluice.Upstream, 2, 2, nil), s5+" of 3")
		check("past the end", links(t1, sluice.Upstream, 3, 2, nil), " of 3")
		counts, err := db.CountColumnRelations(ctx, "odps.p.t", []int64{p.ID, q.ID})
		must(err)
		if counts["c1"] != 3 || len(counts) != 1 {
			t.Fatalf("counts = %v", counts)
		}

		// Deleting q takes its edges with it.
		must(db.DeleteProject(ctx, q.ID))
		check("up after project delete", links(t1, sluice.Upstream, 1, 10, nil), s4+" of 1")

		// A recommit deployed again moves a's PROD rows to it; deleting a, deployed, drops both.
		must(commitColumns(ctx, db, p.ID, a.ID, []sluice.ColumnEdge{edge(t1, s1)}))
		check("up after recommit of a deployed file", links(t1, sluice.Upstream, 1, 10, nil), s1+" of 1")
		_, err = db.ChangeFile(ctx, p.ID, a.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{File: f, PublishNode: true, ProdVersion: f.CurrentVersion}, nil
		})
		must(err)
		check("up after second deploy", links(t1, sluice.Upstream, 1, 10, nil), s1+" of 1")
		_, err = db.ChangeFile(ctx, p.ID, a.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{Delete: true, Version: nextVersion(f, sluice.ChangeDelete)}, nil
		})
		must(err)
		check("up after deleting a deployed file", links(t1, sluice.Upstream, 1, 10, nil), " of 0")
	})
}

// TestColumnLineageCurrentMigration checks that migrations 0010 and 0014 flag the lineage of a store from before
// them by its nodes (column edges in DEV, table rows in DEV and PROD): they run again on a store put back as
// 0009 left it.
func TestColumnLineageCurrentMigration(t *testing.T) {
	eachColumnStore(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB, dsn string, p *sluice.Project) {
		ctx := context.Background()
		var ids []int64
		for i := range 3 {
			f := newColumnFile(t, db, p.ID, fmt.Sprintf("f%d", i))
			ids = append(ids, f.ID)
			for v := range 2 {
				edges := []sluice.ColumnEdge{{Target: fmt.Sprintf("odps.p.t%d.c", i), Source: fmt.Sprintf("odps.p.s.v%d", v), Kind: sluice.ColumnDirect}}
				if err := commitColumns(ctx, db, p.ID, f.ID, edges); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, err := db.ChangeFile(ctx, p.ID, ids[2], func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{Delete: true}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ChangeFile(ctx, p.ID, ids[0], func(f *sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{File: f, PublishNode: true, ProdVersion: f.CurrentVersion}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, stmt := range append(slices.Clone(undoSince11), "DROP INDEX version_column_lineage_dev_source", "DROP INDEX version_column_lineage_dev_target",
			"ALTER TABLE version_column_lineage DROP COLUMN dev_current", "DELETE FROM schema_migrations WHERE version >= 10") {
			if _, err := raw.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		if db, err = sqlstore.Open(ctx, dsn); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkCurrentLineage(t, raw, "after the migration")
		links, total, err := db.FindColumnLinks(ctx, sluice.ColumnQuery{Guid: "odps.p.s.v1", Direction: sluice.Downstream})
		if err != nil || total != 2 || len(links) != 2 {
			t.Fatalf("down v1 = %d links of %d, %v", len(links), total, err)
		}
	})
}
