// Command lineage-graph measures table lineage at scale: it loads NODES committed DEV nodes (default 100,000)
// whose versions carry EDGES lineage edges (default 1,000,000) into a fresh database, then times the core calls
// behind GetMetaTableProducingTasks and the native graph query (p50/p99).
//
// The DAG is layered: LAYERS layers of equal width; node i writes table t<i> and reads EDGES/NODES-1 tables of
// the previous layer chosen at random, so every 10-hop walk stays inside the DAG. Rows go in with multi-row
// INSERTs in one transaction (the commit path is exercised by the tests; here only the read side is timed).
//
//	go run ./bench/lineage-graph -dsn /tmp/lin.db
//	go run ./bench/lineage-graph -dsn 'postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable&search_path=bench'
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	mrand "math/rand/v2"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/sqlstore"
)

// config is one run's settings (the flags).
type config struct {
	dsn                                     string
	nodes, edges, layers, iters, graphIters int
	reuse                                   bool
	cpuprofile                              string
}

func main() {
	var c config
	flag.StringVar(&c.dsn, "dsn", "", "database: a SQLite path or a postgres:// URL (fresh)")
	flag.IntVar(&c.nodes, "nodes", 100000, "committed nodes")
	flag.IntVar(&c.edges, "edges", 1000000, "lineage edges (inputs and outputs of the current versions)")
	flag.IntVar(&c.layers, "layers", 50, "DAG layers")
	flag.IntVar(&c.iters, "iters", 2000, "producing-task queries")
	flag.IntVar(&c.graphIters, "graph-iters", 50, "graph queries per shape")
	flag.BoolVar(&c.reuse, "reuse", false, "reuse a database an earlier run loaded (same -nodes, -edges, -layers)")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed queries to this file")
	flag.Parse()
	if c.dsn == "" {
		log.Fatal("-dsn is required")
	}
	if err := run(context.Background(), c, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run loads the graph (unless c.reuse) and writes the timings to out as Markdown table rows. Every answer is
// checked: a table has one producer, and a walk finds more than its root.
func run(ctx context.Context, c config, out io.Writer) error {
	db, err := sqlstore.Open(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	var u *sluice.User
	if c.reuse {
		if u, err = db.FindUserByName(ctx, "bench"); err != nil {
			return err
		}
	} else {
		// A user and its project, through the store.
		acct := &sluice.Account{Name: "bench"}
		if err := db.CreateAccount(ctx, acct); err != nil {
			return err
		}
		u = &sluice.User{AccountID: acct.ID, Name: "bench", Role: sluice.UserMember}
		if err := db.CreateUser(ctx, u); err != nil {
			return err
		}
		p := &sluice.Project{Name: "bench", UUID: strings.Repeat("ab", 16), AccountID: acct.ID, OwnerID: u.ID}
		if err := db.CreateProject(ctx, p, &sluice.Member{UserID: u.ID, Role: sluice.RoleOwner}); err != nil {
			return err
		}
		start := time.Now()
		if err := load(ctx, c.dsn, p.ID, c.nodes, c.edges, c.layers); err != nil {
			return err
		}
		fmt.Fprintf(out, "loaded %d nodes, %d edges in %s\n", c.nodes, c.edges, time.Since(start).Round(time.Millisecond))
	}

	key := make([]byte, 32)
	rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		return err
	}
	svc := core.New(db, box)
	cctx := sluice.NewContextWithCaller(ctx, &sluice.Caller{User: u})
	r := mrand.New(mrand.NewPCG(1, 2))

	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	// Warm up, then time GetMetaTableProducingTasks' core call on random tables.
	for i := 0; i < min(200, c.iters); i++ {
		svc.FindProducingNodes(cctx, sluice.TableRef{Project: "bench", Name: "t" + strconv.Itoa(r.IntN(c.nodes))})
	}
	lat := make([]time.Duration, 0, c.iters)
	for i := 0; i < c.iters; i++ {
		t0 := time.Now()
		ns, err := svc.FindProducingNodes(cctx, sluice.TableRef{Project: "bench", Name: "t" + strconv.Itoa(r.IntN(c.nodes))})
		lat = append(lat, time.Since(t0))
		if err != nil || len(ns) != 1 {
			return fmt.Errorf("producers: %d, %v (want 1)", len(ns), err)
		}
	}
	report(out, "FindProducingNodes (GetMetaTableProducingTasks)", lat, "")

	width := c.nodes / c.layers
	for _, shape := range []struct {
		dir          sluice.LineageDirection
		depth, limit int
	}{{sluice.Upstream, 10, sluice.DefaultGraphLimit}, {sluice.Downstream, 10, sluice.DefaultGraphLimit},
		{sluice.Upstream, 10, sluice.MaxGraphLimit}, {sluice.Downstream, 10, sluice.MaxGraphLimit}} {
		lat = lat[:0]
		var size, truncated int
		// A tenth more walks first, untimed (as bench/files discards its first tenth): the first walks of a shape
		// read pages no walk read before, and one of them would be the p99 of fifty.
		warm := max(1, c.graphIters/10)
		for i := -warm; i < c.graphIters; i++ {
			var t int
			if shape.dir == sluice.Upstream {
				t = c.nodes - 1 - r.IntN(width) // last layer
			} else {
				t = r.IntN(width) // first layer
			}
			t0 := time.Now()
			g, err := svc.FindLineageGraph(cctx, sluice.GraphQuery{Guid: "odps.bench.t" + strconv.Itoa(t), Direction: shape.dir,
				Depth: shape.depth, Limit: shape.limit})
			d := time.Since(t0)
			if err != nil {
				return err
			}
			if len(g.Nodes) < 2 {
				return fmt.Errorf("graph %s of t%d: %d nodes, want more than its root", shape.dir, t, len(g.Nodes))
			}
			if i < 0 {
				continue
			}
			lat = append(lat, d)
			size += len(g.Nodes)
			if g.Truncated {
				truncated++
			}
		}
		report(out, fmt.Sprintf("FindLineageGraph %s depth %d limit %d", shape.dir, shape.depth, shape.limit), lat,
			fmt.Sprintf("mean %d nodes, %d/%d truncated", size/c.graphIters, truncated, c.graphIters))
	}
	return nil
}

func report(out io.Writer, what string, lat []time.Duration, note string) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Fprintf(out, "| %s | %d | %s | %s | %s | %s |\n", what, len(lat), q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond),
		lat[len(lat)-1].Round(time.Microsecond), note)
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openRaw(dsn string) (*sql.DB, error) {
	if isPostgres(dsn) {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)")
}

// rebind turns ? placeholders into $n for PostgreSQL.
func rebind(dsn, q string) string {
	if !isPostgres(dsn) {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// batch inserts rows of one table with multi-row statements.
type batch struct {
	ctx    context.Context
	tx     *sql.Tx
	dsn    string
	head   string
	row    string
	args   []any
	rows   int
	perRun int
}

func (b *batch) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.perRun {
		return b.flush()
	}
	return nil
}

func (b *batch) flush() error {
	if b.rows == 0 {
		return nil
	}
	q := b.head + strings.TrimSuffix(strings.Repeat(b.row+",", b.rows), ",")
	_, err := b.tx.ExecContext(b.ctx, rebind(b.dsn, q), b.args...)
	b.args, b.rows = b.args[:0], 0
	return err
}

func load(ctx context.Context, dsn string, projectID int64, nodes, edges, layers int) error {
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UnixMilli()
	nb := &batch{ctx: ctx, tx: tx, dsn: dsn, perRun: 500,
		head: "INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type, owner, description, scheduler_type, schedule, created_at, updated_at) VALUES ",
		row:  "(?, 'DEV', ?, ?, 1, 0, ?, 10, '1', '', '', '{}', ?, ?)"}
	// Each file's one version is the one its DEV node runs: its rows are current in DEV, as the store's commit
	// marks them (moveCurrentLineage), or no walk finds them.
	eb := &batch{ctx: ctx, tx: tx, dsn: dsn, perRun: 2000,
		head: "INSERT INTO version_lineage (project_id, file_id, version, direction, guid, dev_current) VALUES ", row: "(?, ?, 1, ?, ?, TRUE)"}
	cb := &batch{ctx: ctx, tx: tx, dsn: dsn, perRun: 2000,
		head: "INSERT INTO lineage_tables (project_id, guid, created_at) VALUES ", row: "(?, ?, ?)"}
	width := nodes / layers
	reads := edges/nodes - 1
	r := mrand.New(mrand.NewPCG(3, 4))
	for i := 0; i < nodes; i++ {
		id, file := int64(700000000001+i), int64(100000000+i)
		guid := "odps.bench.t" + strconv.Itoa(i)
		if err := nb.add(id, projectID, file, "task_"+strconv.Itoa(i), now, now); err != nil {
			return err
		}
		if err := cb.add(projectID, guid, now); err != nil {
			return err
		}
		if err := eb.add(projectID, file, "out", guid); err != nil {
			return err
		}
		layer := i / width
		seen := map[int]bool{}
		for k := 0; k < reads; k++ {
			var src int
			if layer == 0 { // the first layer reads external tables
				src = -1 - r.IntN(width)
			} else {
				src = (layer-1)*width + r.IntN(width)
			}
			for seen[src] { // another table of the same layer
				if layer == 0 {
					src = -1 - r.IntN(width)
				} else {
					src = (layer-1)*width + r.IntN(width)
				}
			}
			seen[src] = true
			g := "odps.bench.t" + strconv.Itoa(src)
			if src < 0 {
				g = "odps.bench.ext" + strconv.Itoa(-src)
			}
			if err := eb.add(projectID, file, "in", g); err != nil {
				return err
			}
		}
	}
	for _, b := range []*batch{nb, eb, cb} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	analyze := "ANALYZE"
	if isPostgres(dsn) {
		// As after any bulk load (and as bench/files does): VACUUM sets the visibility map, which lets the walk's
		// index-only scans skip the heap; autovacuum, on by default, would do it within minutes of this load.
		// Only the benchmark's own tables: a database-wide VACUUM reads every other schema too.
		analyze = "VACUUM ANALYZE nodes, version_lineage, lineage_tables"
	}
	_, err = raw.ExecContext(ctx, analyze)
	return err
}
