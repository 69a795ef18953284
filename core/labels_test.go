package core_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// TestLabelsFollowTheData runs on both stores: the labels come from the lineage the store walks.
func TestLabelsFollowTheData(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testLabelsFollowTheData(t, filepath.Join(t.TempDir(), "s.db")) })
	t.Run("PostgreSQL", func(t *testing.T) { testLabelsFollowTheData(t, storetest.PostgresDSN(t)(t)) })
}

// labelsFixture: alice owns crm (users, its phone labelled 3) and sales, where committed scripts derive
// columns from crm.users; bob owns mkt, the consumer.
type labelsFixture struct {
	s          *core.Service
	store      *cutStore
	alice, bob context.Context
	sales      sluice.ProjectRef
	mkt        sluice.ProjectRef
	files      map[string]int64 // by name
}

func newLabelsFixture(t *testing.T, dsn string) *labelsFixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	box, _ := seal.New(bytes.Repeat([]byte{1}, seal.KeySize))
	store := &cutStore{DB: db}
	s := core.New(store, box)
	key, err := s.Bootstrap(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, root, err := s.Authenticate(ctx, key.ID)
	if err != nil {
		t.Fatal(err)
	}
	fx := &labelsFixture{s: s, store: store, sales: sluice.ProjectByName("sales"), mkt: sluice.ProjectByName("mkt"), files: map[string]int64{}}
	for _, u := range []struct {
		ctx     *context.Context
		name    string
		project string
	}{{&fx.alice, "alice", "crm"}, {&fx.alice, "alice", "sales"}, {&fx.bob, "bob", "mkt"}} {
		if *u.ctx == nil {
			user, err := s.CreateUser(as(root), u.name, "")
			if err != nil {
				t.Fatal(err)
			}
			*u.ctx = as(user)
		}
		if _, err := s.CreateProject(*u.ctx, sluice.ProjectCreate{Name: u.project}); err != nil {
			t.Fatal(err)
		}
	}
	fx.sql(t, fx.alice, sluice.ProjectByName("crm"), `CREATE TABLE users (id BIGINT, phone STRING, city STRING);
SET LABEL 3 TO TABLE users (phone);`)
	fx.sql(t, fx.alice, fx.sales, `CREATE TABLE dws_users (id BIGINT, phone STRING, city STRING);
CREATE TABLE ads_contacts (uid BIGINT, contact STRING);
CREATE TABLE clean (id BIGINT, note STRING);`)
	if _, err := s.CreateWorkflow(fx.alice, fx.sales, sluice.Workflow{Name: "etl"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// cutStore is the store with column graphs that, while cut is set, report that they stopped at their limit.
type cutStore struct {
	*sqlstore.DB
	cut atomic.Bool
}

func (s *cutStore) FindColumnGraph(ctx context.Context, q sluice.ColumnGraphQuery) (*sluice.ColumnGraph, error) {
	g, err := s.DB.FindColumnGraph(ctx, q)
	if err == nil && s.cut.Load() {
		g.Truncated = true
	}
	return g, err
}

func (fx *labelsFixture) sql(t *testing.T, ctx context.Context, ref sluice.ProjectRef, script string) {
	t.Helper()
	if _, err := fx.s.RunSQL(ctx, ref, script); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
}

// commit commits a SQL file of sales with content, creating it or making a new version.
func (fx *labelsFixture) commit(t *testing.T, name, content string) {
	t.Helper()
	id, ok := fx.files[name]
	if !ok {
		f, err := fx.s.CreateFile(fx.alice, fx.sales, sluice.File{Name: name, Type: 10, AutoParsing: true, Content: content}, false)
		if err != nil {
			t.Fatal(err)
		}
		id, fx.files[name] = f.ID, f.ID
	} else if _, err := fx.s.UpdateFile(fx.alice, fx.sales, id, sluice.FileUpdate{Content: &content}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.s.SubmitFile(fx.alice, fx.sales, id, ""); err != nil {
		t.Fatal(err)
	}
}

// labels describes a table as ctx sees it: each column as name=label, with the source when lineage derives it.
func (fx *labelsFixture) labels(t *testing.T, ctx context.Context, table string) string {
	t.Helper()
	tb, err := fx.s.FindCatalogTable(ctx, fx.sales, "", table)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range tb.Columns {
		label, d := tb.LineageLabel(c)
		s := c.Name + "=" + strconv.Itoa(label)
		if d.Source != "" {
			s += "<" + d.Source
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func testLabelsFollowTheData(t *testing.T, dsn string) {
	fx := newLabelsFixture(t, dsn)
	const phone = "odps.crm.users.phone"
	fx.commit(t, "dws_users", "INSERT OVERWRITE TABLE dws_users SELECT id, phone, city FROM crm.users;")
	fx.commit(t, "ads_contacts", "INSERT OVERWRITE TABLE ads_contacts SELECT id, concat(city, phone) FROM dws_users;")

	t.Run("Derived", func(t *testing.T) {
		// One hop, and two: through dws_users, whose own phone label is 0.
		if got := fx.labels(t, fx.alice, "dws_users"); got != "id=0 phone=3<"+phone+" city=0" {
			t.Errorf("dws_users: %s", got)
		}
		if got := fx.labels(t, fx.alice, "ads_contacts"); got != "uid=0 contact=3<"+phone {
			t.Errorf("ads_contacts: %s", got)
		}
		// DESC answers the same, declared labels unchanged.
		res, err := fx.s.RunSQL(fx.alice, fx.sales, "DESC dws_users")
		if err != nil {
			t.Fatal(err)
		}
		tb := res[0].Table
		if tb.Columns[1].Label != 0 || tb.Derived["phone"] != (sluice.DerivedLabel{Label: 3, Source: phone}) {
			t.Errorf("DESC: %+v %+v", tb.Columns, tb.Derived)
		}
	})

	t.Run("AllowRefused", func(t *testing.T) {
		fx.sql(t, fx.alice, fx.sales, "CREATE PACKAGE share; ADD TABLE dws_users TO PACKAGE share;")
		for _, script := range []string{
			"ALLOW PROJECT mkt TO INSTALL PACKAGE share USING LABEL 1",
			"ALLOW PROJECT mkt TO INSTALL PACKAGE share", // the default label, 0
		} {
			_, err := fx.s.RunSQL(fx.alice, fx.sales, script)
			wantCode(t, err, sluice.EFORBIDDEN)
			if msg := sluice.ErrorMessage(err); !strings.Contains(msg, "Column odps.sales.dws_users.phone derives from "+phone+" (label 3), above the label") ||
				!strings.Contains(msg, "allowed to project mkt by package share") {
				t.Errorf("%s: %s", script, msg)
			}
		}
		// Through the API as well, and nothing changed.
		_, err := fx.s.UpdatePackage(fx.alice, fx.sales, "share", sluice.PackageUpdate{Allow: []sluice.PackageAllow{{Project: "mkt", Label: 2}}})
		wantCode(t, err, sluice.EFORBIDDEN)
		pkg, err := fx.s.FindPackage(fx.alice, fx.sales, "share", "")
		if err != nil || len(pkg.Allowed) != 0 {
			t.Fatalf("allow-list after refusals: %+v, %v", pkg, err)
		}
	})

	t.Run("AllowAtTheLabel", func(t *testing.T) {
		fx.sql(t, fx.alice, fx.sales, "ALLOW PROJECT mkt TO INSTALL PACKAGE share USING LABEL 3; ADD TABLE ads_contacts TO PACKAGE share;")
		fx.sql(t, fx.bob, fx.mkt, "INSTALL PACKAGE sales.share")
		// The consumer sees the derived label, not the column it comes from.
		if got := fx.labels(t, fx.bob, "dws_users"); got != "id=0 phone=3 city=0" {
			t.Errorf("consumer's dws_users: %s", got)
		}
	})

	t.Run("AddTableRefused", func(t *testing.T) {
		fx.sql(t, fx.alice, fx.sales, "CREATE PACKAGE low; ALLOW PROJECT mkt TO INSTALL PACKAGE low USING LABEL 2;")
		for _, script := range []string{"ADD TABLE ads_contacts TO PACKAGE low", "ADD TABLE * TO PACKAGE low"} {
			_, err := fx.s.RunSQL(fx.alice, fx.sales, script)
			wantCode(t, err, sluice.EFORBIDDEN)
			if msg := sluice.ErrorMessage(err); !strings.Contains(msg, "derives from "+phone+" (label 3), above the label 2 allowed to project mkt") {
				t.Errorf("%s: %s", script, msg)
			}
		}
		// Labelled 3 itself, the column is not shown at 2, and the table may be shared.
		fx.sql(t, fx.alice, fx.sales, "SET LABEL 3 TO TABLE ads_contacts (contact); ADD TABLE ads_contacts TO PACKAGE low;")
	})

	t.Run("LabelRaisedInTheScript", func(t *testing.T) {
		// A label raised upstream counts for the statements after it in the same script.
		_, err := fx.s.RunSQL(fx.alice, fx.sales, `CREATE PACKAGE raised; ADD TABLE dws_users TO PACKAGE raised;
ALLOW PROJECT mkt TO INSTALL PACKAGE raised USING LABEL 3;
SET LABEL 5 TO TABLE crm.users (phone);
ALLOW PROJECT mkt TO INSTALL PACKAGE raised USING LABEL 4;`)
		wantCode(t, err, sluice.EFORBIDDEN)
		if msg := sluice.ErrorMessage(err); !strings.HasPrefix(msg, "Statement 5 ") || !strings.Contains(msg, "derives from "+phone+" (label 5), above the label 4") {
			t.Errorf("message: %s", msg)
		}
		if _, err := fx.s.FindPackage(fx.alice, fx.sales, "raised", ""); sluice.ErrorCode(err) != sluice.ENOTFOUND {
			t.Errorf("the script was not undone: %v", err)
		}
	})

	t.Run("ViewCutAfterLineageChanges", func(t *testing.T) {
		fx.sql(t, fx.alice, fx.sales, "CREATE PACKAGE open; ADD TABLE clean TO PACKAGE open; ALLOW PROJECT mkt TO INSTALL PACKAGE open;")
		fx.sql(t, fx.bob, fx.mkt, "INSTALL PACKAGE sales.open")
		if got := fx.labels(t, fx.bob, "clean"); got != "id=0 note=0" {
			t.Fatalf("before: %s", got)
		}
		// A script committed after the allow-list entry derives note from the phone: bob no longer sees it,
		// in DESC as in GetTableInfo, nor can he copy it with CREATE TABLE ... LIKE.
		fx.commit(t, "clean", "INSERT OVERWRITE TABLE clean SELECT id, phone FROM crm.users;")
		if got := fx.labels(t, fx.bob, "clean"); got != "id=0" {
			t.Errorf("after: %s", got)
		}
		res, err := fx.s.RunSQL(fx.bob, fx.mkt, "DESC sales.clean")
		if err != nil || len(res[0].Table.Columns) != 1 {
			t.Fatalf("DESC: %+v, %v", res, err)
		}
		fx.sql(t, fx.bob, fx.mkt, "CREATE TABLE copy LIKE sales.clean")
		res, err = fx.s.RunSQL(fx.bob, fx.mkt, "DESC copy")
		if err != nil || len(res[0].Table.Columns) != 1 {
			t.Fatalf("DESC copy: %+v, %v", res, err)
		}
		// The owner still sees every column, with where the label comes from.
		if got := fx.labels(t, fx.alice, "clean"); got != "id=0 note=3<"+phone {
			t.Errorf("owner: %s", got)
		}
		// Lineage moves on again: the note comes from the city, and bob sees it once more.
		fx.commit(t, "clean", "INSERT OVERWRITE TABLE clean SELECT id, city FROM crm.users;")
		if got := fx.labels(t, fx.bob, "clean"); got != "id=0 note=0" {
			t.Errorf("after the city: %s", got)
		}
	})
	t.Run("LineageTooLarge", func(t *testing.T) {
		// Lineage beyond the graph's limits proves nothing: every column counts as MaxLabel until it is followed.
		fx.store.cut.Store(true)
		defer fx.store.cut.Store(false)
		tb, err := fx.s.FindCatalogTable(fx.alice, fx.sales, "", "clean")
		if err != nil {
			t.Fatal(err)
		}
		if label, d := tb.LineageLabel(tb.Columns[0]); label != sluice.MaxLabel || !d.Incomplete || d.Source != "" {
			t.Errorf("id: %d %+v", label, d)
		}
		if got := fx.labels(t, fx.bob, "clean"); got != "" {
			t.Errorf("consumer: %s", got)
		}
		_, err = fx.s.RunSQL(fx.alice, fx.sales, "CREATE PACKAGE wide; ADD TABLE clean TO PACKAGE wide; ALLOW PROJECT mkt TO INSTALL PACKAGE wide USING LABEL 8;")
		wantCode(t, err, sluice.EFORBIDDEN)
		if msg := sluice.ErrorMessage(err); !strings.Contains(msg, "Column odps.sales.clean.id may derive from data above the label 8 allowed to project mkt") {
			t.Errorf("message: %s", msg)
		}
		fx.sql(t, fx.alice, fx.sales, "CREATE PACKAGE wide; ADD TABLE clean TO PACKAGE wide; ALLOW PROJECT mkt TO INSTALL PACKAGE wide USING LABEL 9;")
	})
}
