package main

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
)

// The vocabulary of realistic DataWorks table-producing file names: layer_domain_entity[_qualifier]_suffix.
var (
	layers     = []string{"ods", "dwd", "dws", "dim", "ads", "tmp", "rpt", "app", "mid", "stg"}
	domains    = strings.Fields("trade order user item shop pay refund logistics member coupon marketing inventory supplier finance crm cart search ad risk store sku brand category promotion channel device session traffic merchant settlement invoice warehouse delivery review loan credit account wallet points campaign")
	entities   = strings.Fields("detail summary snapshot info log event stat agg daily hist change flow base ext rel map profile tag label index rank metric kpi trend cnt amt gmv uv pv retention funnel cohort")
	qualifiers = strings.Fields("new old all valid top online offline app web mini first last std full inc cn intl")
	suffixes   = []string{"_di", "_df", "_hi", "_hh", "_1d", "_7d", "_30d", "_std", "_nd", "_wi"}
	fileTypes  = []int{10, 10, 10, 10, 10, 10, 6, 221, 23, 1000011, 99, 24}
)

// Keyword is a name fragment and how many files' names hold it.
type Keyword struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Meta is what the generator tells the runner: the project and the parameters to draw from.
type Meta struct {
	ProjectID  int64     `json:"project_id"`
	Files      int       `json:"files"`
	FolderKeys []string  `json:"folder_keys"`
	Owners     []string  `json:"owners"`
	Keywords   []Keyword `json:"keywords"`
}

func fileName(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(layers[r.IntN(len(layers))])
	b.WriteByte('_')
	b.WriteString(domains[r.IntN(len(domains))])
	b.WriteByte('_')
	b.WriteString(entities[r.IntN(len(entities))])
	if r.IntN(3) == 0 {
		b.WriteByte('_')
		b.WriteString(qualifiers[r.IntN(len(qualifiers))])
	}
	switch r.IntN(20) {
	case 0: // a dated backup or one-off copy
		fmt.Fprintf(&b, "_%d%02d%02d", 2019+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28))
	case 1: // a ticket or version number
		fmt.Fprintf(&b, "_v%d", r.IntN(100000))
	}
	b.WriteString(suffixes[r.IntN(len(suffixes))])
	return b.String()
}

func generate(ctx context.Context, dsn string, n, projects int, metaPath string) error {
	start := time.Now()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	acct := &sluice.Account{Name: "bench"}
	if err := db.CreateAccount(ctx, acct); err != nil {
		return err
	}
	u := &sluice.User{AccountID: acct.ID, Name: "bench", Role: sluice.UserMember}
	if err := db.CreateUser(ctx, u); err != nil {
		return err
	}
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	r := rand.New(rand.NewPCG(1, 2))
	meta := Meta{Files: n / projects}
	for i := 0; i < 200; i++ {
		meta.Owners = append(meta.Owners, fmt.Sprint(200000+i))
	}
	pg := strings.HasPrefix(dsn, "postgres")
	if pg { // bulk-load practice: build the trigram index once, after the rows (the triggers still fill it)
		if _, err := raw.ExecContext(ctx, "DROP INDEX file_grams_lookup"); err != nil {
			return err
		}
	}
	// The measured project is the first; the others (-projects) hold as many files each, alike.
	var names []string
	for k := 0; k < projects; k++ {
		p := &sluice.Project{Name: fmt.Sprintf("bench%d", k), UUID: fmt.Sprintf("%032x", k+0xab), AccountID: acct.ID, OwnerID: u.ID}
		if k == 0 {
			p.Name, p.UUID = "bench", strings.Repeat("ab", 16)
		}
		if err := db.CreateProject(ctx, p, &sluice.Member{UserID: u.ID, Role: sluice.RoleOwner}); err != nil {
			return err
		}
		keys, pnames, err := loadProject(ctx, raw, dsn, r, p, meta.Owners, n/projects, start)
		if err != nil {
			return err
		}
		if k == 0 {
			meta.ProjectID, meta.FolderKeys, names = p.ID, keys, pnames
		}
	}

	if pg {
		// Bulk-load practice again: the sort behind a large index build wants memory (30 rows a file).
		conn, err := raw.Conn(ctx)
		if err != nil {
			return err
		}
		_, err = conn.ExecContext(ctx, "SET maintenance_work_mem = '1GB'")
		if err == nil {
			_, err = conn.ExecContext(ctx, "CREATE INDEX file_grams_lookup ON file_grams (project_id, gram, file_id) INCLUDE (lname)")
		}
		conn.Close()
		if err != nil {
			return err
		}
		if err := db.CompactKeywordCounts(ctx); err != nil {
			return err
		}
		// The tables of the schema in use only: a database-wide VACUUM reads every other schema too.
		if _, err := raw.ExecContext(ctx, "VACUUM ANALYZE files, file_grams, file_gram_counts, folders, workflows"); err != nil {
			return err
		}
	} else if _, err := raw.ExecContext(ctx, "ANALYZE; INSERT INTO files_fts (files_fts) VALUES ('optimize')"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %d files, analyzed, in %v\n", n, time.Since(start).Round(time.Millisecond))
	meta.Keywords = pickKeywords(r, names)
	b, err := json.MarshalIndent(meta, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(metaPath, b, 0o644)
}

// pickKeywords draws fragments of 3 to 20 characters from real names and keeps a few per match-count
// bucket, counting matches exactly (case-insensitively) over every name.
func pickKeywords(r *rand.Rand, names []string) []Keyword {
	lower := strings.ToLower(strings.Join(names, "\n"))
	counted := map[string]int{}
	perBucket := map[int][]Keyword{}
	for tries := 0; tries < 3000 && len(counted) < 1500; tries++ {
		name := strings.ToLower(names[r.IntN(len(names))])
		l := 3 + r.IntN(18)
		if l > len(name) {
			l = len(name)
		}
		at := r.IntN(len(name) - l + 1)
		frag := name[at : at+l]
		if _, ok := counted[frag]; ok {
			continue
		}
		c := countNames(lower, frag)
		counted[frag] = c
		b := bucketOf(c)
		if len(perBucket[b]) < 8 {
			perBucket[b] = append(perBucket[b], Keyword{frag, c})
		}
	}
	var out []Keyword
	for _, ks := range perBucket {
		out = append(out, ks...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Count < out[j].Count })
	return out
}

// countNames counts the lines of lower (one name each) that hold frag.
func countNames(lower, frag string) int {
	n := 0
	for rest := lower; ; {
		i := strings.Index(rest, frag)
		if i < 0 {
			return n
		}
		n++
		j := strings.IndexByte(rest[i:], '\n')
		if j < 0 {
			return n
		}
		rest = rest[i+j+1:]
	}
}

// Buckets of match counts: 1, 2-10, 11-100, 101-1000, 1001-10000, 10001-100000, more.
var bucketNames = []string{"1", "2-10", "11-100", "101-1k", "1k-10k", "10k-100k", ">100k"}

func bucketOf(c int) int {
	switch {
	case c <= 1:
		return 0
	case c <= 10:
		return 1
	case c <= 100:
		return 2
	case c <= 1000:
		return 3
	case c <= 10000:
		return 4
	case c <= 100000:
		return 5
	}
	return 6
}

func newID() string {
	var b [16]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// openRaw opens a plain database/sql pool on the store's database, beside the store.
func openRaw(dsn string) (*sql.DB, error) {
	if strings.HasPrefix(dsn, "postgres") {
		return sql.Open("pgx", dsn)
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	return sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(67108864)")
}

// rebind turns ? placeholders into $n for PostgreSQL.
func rebind(dsn, q string) string {
	if !strings.HasPrefix(dsn, "postgres") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// loadProject fills project p with 100 workflows of 100 folders and n files, returning the folder keys and
// the file names.
func loadProject(ctx context.Context, raw *sql.DB, dsn string, r *rand.Rand, p *sluice.Project, owners []string, n int, start time.Time) (keys, names []string, err error) {
	// 100 workflows of 100 folders each: 2 kind folders and 98 below MaxCompute.
	type folder struct {
		id, key string
		flow    int64
	}
	var folders []folder
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now().UnixMilli()
	for w := 0; w < 100; w++ {
		name := fmt.Sprintf("%s_%s_%02d", domains[w%len(domains)], "flow", w)
		var flowID int64
		if err := tx.QueryRowContext(ctx, rebind(dsn, `INSERT INTO workflows (project_id, name, description, owner, use_type, created_at, updated_at)
			VALUES (?, ?, '', ?, 'NORMAL', ?, ?) RETURNING id`), p.ID, name, owners[w%200], now, now).Scan(&flowID); err != nil {
			return nil, nil, err
		}
		fkeys := []string{name + "/MaxCompute", name + "/data_integration"}
		for j := 0; j < 98; j++ {
			fkeys = append(fkeys, fmt.Sprintf("%s/MaxCompute/%s_%02d", name, layers[j%len(layers)], j))
		}
		for _, k := range fkeys {
			f := folder{id: newID(), key: k, flow: flowID}
			parent := k[:strings.LastIndexByte(k, '/')]
			if !strings.Contains(parent, "/") {
				parent = ""
			}
			if _, err := tx.ExecContext(ctx, rebind(dsn, `INSERT INTO folders (id, project_id, workflow_id, path, key, parent_key, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`), f.id, p.ID, flowID, "Business Flow/"+k, k, parent, now); err != nil {
				return nil, nil, err
			}
			folders = append(folders, f)
			keys = append(keys, k)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(os.Stderr, "gen: %d folders in %v\n", len(folders), time.Since(start).Round(time.Millisecond))

	// The files, in batches of multi-row inserts, 100 per folder, in folder order interleaved so ids spread.
	const perStmt = 100
	const cols = "(project_id, workflow_id, folder_id, name, type, description, content, owner, create_user, last_edit_user," +
		" connection_name, auto_parsing, use_type, advanced_settings, commit_status, current_version, node_id, parent_id, schedule, created_at, updated_at)"
	row := "(?, ?, ?, ?, ?, '', ?, ?, ?, ?, 'odps_first', ?, 'NORMAL', '', ?, 0, 0, -1, '{}', ?, ?)"
	stmtText := rebind(dsn, "INSERT INTO files "+cols+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", perStmt), ", "))
	names = make([]string, 0, n)
	used := make(map[string]bool, n)
	tx, err = raw.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	stmt, err := tx.PrepareContext(ctx, stmtText)
	if err != nil {
		return nil, nil, err
	}
	args := make([]any, 0, perStmt*12)
	for i := 0; i < n; i++ {
		f := folders[r.IntN(len(folders))]
		name := fileName(r)
		for k := 2; used[f.id+"/"+name]; k++ {
			name = fmt.Sprintf("%s_%d", strings.TrimSuffix(name, fmt.Sprintf("_%d", k-1)), k)
		}
		used[f.id+"/"+name] = true
		names = append(names, name)
		owner := owners[r.IntN(len(owners))]
		args = append(args, p.ID, f.flow, f.id, name, fileTypes[r.IntN(len(fileTypes))], "SELECT * FROM "+name+";",
			owner, owner, owners[r.IntN(len(owners))], r.IntN(2) == 0, r.IntN(2), now, now)
		if len(args) == perStmt*13 {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return nil, nil, err
			}
			args = args[:0]
		}
		if (i+1)%200000 == 0 {
			fmt.Fprintf(os.Stderr, "gen: %d files in %v\n", i+1, time.Since(start).Round(time.Millisecond))
		}
	}
	stmt.Close()
	if len(args) > 0 {
		k := len(args) / 13
		if _, err := tx.ExecContext(ctx, rebind(dsn, "INSERT INTO files "+cols+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")), args...); err != nil {
			return nil, nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	return keys, names, nil
}
