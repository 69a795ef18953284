package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

// graphChunk bounds the frontier tables of one step of a hop: their nodes' rows, then their manual relations.
const graphChunk = 500

// graphMinBatch is the fewest frontier tables one read of links asks for, and graphMinFiles the fewest files one
// read of nodes asks for (unless the part has fewer left). Otherwise the walk asks for about as many as it expects
// to bring the nodes the limit still allows (going by what it found so far), so a walk the limit stops reads
// little more than it keeps.
const (
	graphMinBatch = 64
	graphMinFiles = 32
)

// graphBuilder accumulates a lineage graph under a node limit. Nodes are known by their index in g.Nodes.
type graphBuilder struct {
	g     *sluice.LineageGraph
	limit int
	ids   map[string]int32 // node ID -> index in g.Nodes
}

// add adds a node unless it is there already; it returns the node's index, or -1 when the limit kept it out,
// and whether it was added now.
func (b *graphBuilder) add(n sluice.GraphNode) (int32, bool) {
	if i, ok := b.ids[n.ID]; ok {
		return i, false
	}
	return b.addNew(n)
}

// addNew adds a node not in the graph yet (the caller looked), like add.
func (b *graphBuilder) addNew(n sluice.GraphNode) (int32, bool) {
	if len(b.g.Nodes) >= b.limit {
		b.g.Truncated = true
		return -1, false
	}
	i := int32(len(b.g.Nodes))
	b.ids[n.ID] = i
	if len(b.g.Nodes) == cap(b.g.Nodes) {
		b.growNodes()
	}
	b.g.Nodes = append(b.g.Nodes, n)
	return i, true
}

// graphGrow returns s with room for at least want elements (and twice its room, at least 64), its elements
// copied. append grows a large slice by about a quarter at a time, so a graph of 10,000 nodes and 30,000 edges
// copied (and the collector scanned) every string in it several times over; growing to what the walk will
// likely need copies it about once.
func graphGrow[E any](s []E, want int) []E {
	t := make([]E, len(s), max(64, 2*cap(s), want))
	copy(t, s)
	return t
}

// growNodes makes room for one more node: doubling up to 1,024, then the limit, which a walk that has found
// that many is likely to reach. The index by ID is then made again with room for the limit too: growing a map
// of thousands of strings splits its tables over and over, which cost more than copying 1,024 entries once.
func (b *graphBuilder) growNodes() {
	if cap(b.g.Nodes) < 1024 {
		b.g.Nodes = graphGrow(b.g.Nodes, min(2*cap(b.g.Nodes), b.limit))
		return
	}
	b.g.Nodes = graphGrow(b.g.Nodes, b.limit)
	ids := make(map[string]int32, b.limit)
	for id, i := range b.ids {
		ids[id] = i
	}
	b.ids = ids
}

// growEdges makes room for one more edge: as many as the edges per node so far bring for the nodes the limit
// allows, with an eighth to spare, but at most eight times the room so far (a walk may end well before the
// limit).
func (b *graphBuilder) growEdges() {
	want := 0
	if n := len(b.g.Nodes); n > 0 {
		want = min(int(int64(len(b.g.Edges))*int64(b.limit)/int64(n)*9/8), 8*cap(b.g.Edges))
	}
	b.g.Edges = graphGrow(b.g.Edges, want)
}

// table adds the table node guid unless it is there already.
func (b *graphBuilder) table(guid string, depth int) (int32, bool) {
	if i, ok := b.ids[guid]; ok {
		return i, false
	}
	return b.addNew(tableNode(guid, depth))
}

// edge adds the edge between two nodes of the graph (-1: not in it). The walk never offers an edge twice (see
// FindLineageGraph), so there is nothing to look up.
func (b *graphBuilder) edge(from, to int32) {
	if from < 0 || to < 0 {
		return
	}
	if len(b.g.Edges) == cap(b.g.Edges) {
		b.growEdges()
	}
	b.g.Edges = append(b.g.Edges, sluice.GraphEdge{From: b.g.Nodes[from].ID, To: b.g.Nodes[to].ID})
}

func tableNode(guid string, depth int) sluice.GraphNode {
	ref, _ := sluice.ParseTableGuid(guid)
	return sluice.GraphNode{ID: guid, Kind: sluice.GraphTable, Name: ref.Name, Depth: depth}
}

// strList renders "col IN list" for a list of strings bound to one parameter, which keeps the statement's
// text fixed: an array with = ANY on PostgreSQL, a JSON array read by json_each on SQLite. A string JSON cannot
// carry as it is (invalid UTF-8, which only SQLite stores) falls back to one placeholder per string; fixed
// reports whether the text is the fixed one.
func (db *DB) strList(col string, list []string) (cond string, args []any, fixed bool) {
	if db.dialect == Postgres {
		return col + " = ANY(?)", []any{list}, true
	}
	for _, s := range list {
		if !utf8.ValidString(s) {
			args = make([]any, len(list))
			for i, s := range list {
				args[i] = s
			}
			return col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(list)), ",") + ")", args, false
		}
	}
	j, _ := json.Marshal(list)
	return col + " IN (SELECT value FROM json_each(?))", []any{string(j)}, true
}

// projectFilter renders the graph's project filter on col with its argument: none for nil, no row for empty.
func (db *DB) projectFilter(col string, ids []int64) (string, []any) {
	switch {
	case ids == nil:
		return "", nil
	case len(ids) == 0:
		return " AND 1 = 0", nil
	case db.dialect == Postgres:
		return " AND " + col + " = ANY(?)", []any{ids}
	}
	j, _ := json.Marshal(ids)
	return " AND " + col + " IN (SELECT value FROM json_each(?))", []any{string(j)}
}

// graphTask is a current DEV node of a file (one that passes the project filter): the version it runs and its
// tables of the walk's other direction, sorted.
type graphTask struct {
	id, projectID, version int64
	name                   string
	others                 []string

	node    int32  // 1 + the node's index in the graph, once it is there
	linked  bool   // the edges to others are in the graph, but (when skip) the one to skipped
	skip    bool   // skipped, the frontier table that first led to the node, is one of others
	skipped string //
}

// graphLink is a version_lineage row naming a frontier table in the walk's own direction: the file version
// reading (downstream) or writing (upstream) it that the file's DEV node runs.
type graphLink struct{ file, version int64 }

// graphWalk reads what a walk needs. It reads each file's current nodes once, however many frontier tables lead
// to them (downstream a node is reached through every table it reads), and only as the walk gets to them.
type graphWalk struct {
	db          *DB
	self, other string // version_lineage directions: the frontier tables', and their nodes' other tables'
	projects    string // node project filter
	projectArgs []any
	files       map[int64][]graphTask // file id -> its current DEV nodes; present once read
	links       [][]graphLink         // the links of each table of the part linksOf read last
	read        int                   // the files of that part's first read tables are read
	want        []int64
	filesRead   int // files read so far, for batch
	tablesDone  int // frontier tables whose nodes were added so far, for parts
}

// linksOf reads the links of each table of part into w.links, by the table's position in part.
func (w *graphWalk) linksOf(ctx context.Context, part []string) error {
	db := w.db
	for len(w.links) < len(part) {
		w.links = append(w.links, nil)
	}
	w.links = w.links[:len(part)]
	for k := range w.links {
		w.links[k] = w.links[k][:0]
	}
	w.read = 0
	var rows *sql.Rows
	var err error
	if db.dialect == Postgres {
		rows, err = db.query(ctx, "SELECT f.k - 1, i.file_id, i.version FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS f(guid, k)"+
			" JOIN version_lineage i ON i.guid = f.guid AND i.direction = ? AND i.dev_current", part, w.self)
	} else if _, args, fixed := db.strList("", part); fixed {
		rows, err = db.query(ctx, "SELECT f.key, i.file_id, i.version FROM json_each(?) f"+
			" JOIN version_lineage i ON i.guid = f.value AND i.direction = ? AND i.dev_current", append(args, w.self)...)
	} else {
		// A string JSON cannot carry: one placeholder per table, numbered in the text.
		var b strings.Builder
		for k := range part {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(" + strconv.Itoa(k) + ", ?)")
		}
		rows, err = db.queryFiltered(ctx, true, "SELECT f.column1, i.file_id, i.version FROM (VALUES "+b.String()+") f"+
			" JOIN version_lineage i ON i.guid = f.column2 AND i.direction = ? AND i.dev_current", append(args, w.self)...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	var k int
	var l graphLink
	for rows.Next() {
		if err := rows.Scan(&k, &l.file, &l.version); err != nil {
			return err
		}
		if k >= 0 && k < len(part) {
			w.links[k] = append(w.links[k], l)
		}
	}
	return rows.Err()
}

// tasksOf appends to dst the current nodes linked to the k-th table of the part linksOf read last, by id. When
// that table's files are not read yet, it reads them with those of the tables after it, at least batch files
// in all (or to the part's end).
func (w *graphWalk) tasksOf(ctx context.Context, dst []*graphTask, k, batch int) ([]*graphTask, error) {
	if k >= w.read {
		w.want = w.want[:0]
		for w.read < len(w.links) && (w.read <= k || len(w.want) < batch) {
			for _, l := range w.links[w.read] {
				if _, ok := w.files[l.file]; !ok {
					w.files[l.file] = nil
					w.want = append(w.want, l.file)
				}
			}
			w.read++
		}
		if len(w.want) > 0 {
			if err := w.readFiles(ctx, w.want); err != nil {
				return dst, err
			}
		}
	}
	for _, l := range w.links[k] {
		ts := w.files[l.file]
		for i := range ts {
			if ts[i].version == l.version {
				dst = append(dst, &ts[i])
			}
		}
	}
	if len(dst) > 1 {
		slices.SortFunc(dst, func(a, b *graphTask) int { return cmp.Compare(a.id, b.id) })
	}
	return dst, nil
}

// batch is how many files to read next so that they likely bring the room nodes the limit leaves, going by
// the nodes found per file read so far (found); at least graphMinFiles.
func (w *graphWalk) batch(room, found int) int {
	if w.filesRead > 0 && found > w.filesRead {
		room = int(int64(room) * int64(w.filesRead) / int64(found))
	}
	return max(graphMinFiles, room)
}

// parts is how many frontier tables to read the links of next, like batch: at least graphMinBatch.
func (w *graphWalk) parts(room, found int) int {
	if w.tablesDone > 0 && found > w.tablesDone {
		room = int(int64(room) * int64(w.tablesDone) / int64(found))
	}
	return max(graphMinBatch, room)
}

// readFiles reads the current DEV nodes of files into w.files, one row per node with its tables of direction
// other aggregated: on PostgreSQL each as its length in characters, ':' and the guid (string_agg is quicker
// there than json_agg); on SQLite a JSON array (quicker there than building strings), whose strings keep every
// byte SQLite stored.
func (w *graphWalk) readFiles(ctx context.Context, files []int64) error {
	db := w.db
	w.filesRead += len(files)
	var rows *sql.Rows
	var err error
	if db.dialect == Postgres {
		rows, err = db.query(ctx, "SELECT n.file_id, n.file_version, n.id, n.name, n.project_id,"+
			" (SELECT string_agg(length(o.guid) || ':' || o.guid, '') FROM version_lineage o"+
			" WHERE o.file_id = n.file_id AND o.version = n.file_version AND o.direction = ?)"+
			" FROM unnest(CAST(? AS bigint[])) AS f(id) JOIN nodes n ON n.file_id = f.id AND n.env = 'DEV' WHERE TRUE"+w.projects,
			append([]any{w.other, files}, w.projectArgs...)...)
	} else {
		j, _ := json.Marshal(files)
		rows, err = db.query(ctx, "SELECT n.file_id, n.file_version, n.id, n.name, n.project_id,"+
			" (SELECT json_group_array(o.guid) FROM version_lineage o"+
			" WHERE o.file_id = n.file_id AND o.version = n.file_version AND o.direction = ?)"+
			" FROM nodes n WHERE n.env = 'DEV' AND n.file_id IN (SELECT value FROM json_each(?))"+w.projects,
			append([]any{w.other, string(j)}, w.projectArgs...)...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	var name, list sql.RawBytes
	var t graphTask
	var file int64
	for rows.Next() {
		if err := rows.Scan(&file, &t.version, &t.id, &name, &t.projectID, &list); err != nil {
			return err
		}
		t.name = string(name)
		s := string(list) // one allocation; the guids are parts of it
		var ok bool
		if db.dialect == Postgres {
			t.others, ok = graphCountedStrings(s)
		} else {
			t.others, ok = graphJSONStrings(s)
		}
		if !ok {
			return fmt.Errorf("lineage graph: bad table list of file %d", file)
		}
		if !sort.StringsAreSorted(t.others) {
			sort.Strings(t.others)
		}
		w.files[file] = append(w.files[file], t)
	}
	return rows.Err()
}

// graphCountedStrings returns the non-empty strings of a list of <length in characters>:<string>.
func graphCountedStrings(s string) ([]string, bool) {
	var list []string
	for len(s) > 0 {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return nil, false
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return nil, false
		}
		j := i + 1
		for ; n > 0 && j < len(s); n-- {
			if s[j] < utf8.RuneSelf {
				j++
			} else {
				_, size := utf8.DecodeRuneInString(s[j:])
				j += size
			}
		}
		if n > 0 {
			return nil, false
		}
		if j > i+1 {
			list = append(list, s[i+1:j])
		}
		s = s[j:]
	}
	return list, true
}

// graphJSONStrings returns the non-empty strings of a JSON array of strings, as SQLite writes them: bytes it
// does not escape (invalid UTF-8 too) are kept as they are.
func graphJSONStrings(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	s = s[1 : len(s)-1]
	var list []string
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			return list, true
		}
		if len(list) > 0 || s[0] == ',' {
			if s[0] != ',' {
				return nil, false
			}
			s = strings.TrimLeft(s[1:], " \t\r\n")
		}
		if s == "" || s[0] != '"' {
			return nil, false
		}
		i, esc := 1, false
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' {
				esc = true
				i++
			}
		}
		if i >= len(s) {
			return nil, false
		}
		v := s[1:i]
		if esc {
			var ok bool
			if v, ok = graphJSONUnescape(v); !ok {
				return nil, false
			}
		}
		if v != "" {
			list = append(list, v)
		}
		s = s[i+1:]
	}
}

// graphJSONUnescape decodes the escapes of a JSON string's text and keeps every other byte.
func graphJSONUnescape(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b = append(b, s[i])
			continue
		}
		if i++; i >= len(s) {
			return "", false
		}
		switch c := s[i]; c {
		case '"', '\\', '/':
			b = append(b, c)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := graphHex4(s[i+1:])
			if !ok {
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) && len(s) >= i+7 && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2, ok := graphHex4(s[i+3:]); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					}
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	return string(b), true
}

func graphHex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(s[:4], 16, 32)
	return rune(n), err == nil
}

// FindLineageGraph walks table lineage breadth first from q.Guid, hop by hop and per chunk of the frontier:
// every current DEV node reading (downstream) or writing (upstream) a frontier table, with the tables it writes
// (reads), and the manual relations of the frontier. Nodes are added in the order found (frontier tables sorted,
// then a table's nodes by id, then a node's tables by guid) until q.Limit; then Truncated is set. A step reads
// the version_lineage rows of its frontier tables (links), then the current nodes of the files among them not
// read yet, with their other tables: a node is read once per walk however many frontier tables lead to it. The
// statements are prepared once and take their lists as one parameter.
//
// No edge is offered twice, so none is looked up: a table is in one frontier once, and a node once per table, so
// the edges between frontier tables and nodes, and those of manual relations, are new; the edges between a node
// and its other tables are added the first time the node is reached, but for the one to the table that led there
// (when the node both reads and writes it), which is added the next time the node is reached, if any.
func (db *DB) FindLineageGraph(ctx context.Context, q sluice.GraphQuery) (*sluice.LineageGraph, error) {
	b := &graphBuilder{g: &sluice.LineageGraph{Root: q.Guid, Direction: q.Direction, Depth: q.Depth,
		Nodes: []sluice.GraphNode{}, Edges: []sluice.GraphEdge{}}, limit: q.Limit,
		ids: map[string]int32{}}
	if b.limit <= 0 {
		b.limit = sluice.DefaultGraphLimit
	}
	b.add(tableNode(q.Guid, 0))
	from, to := directions(q.Direction)
	up := q.Direction == sluice.Upstream
	self, other := "src", "dest"
	if up {
		self, other = "dest", "src"
	}
	w := &graphWalk{db: db, self: from, other: to, files: map[int64][]graphTask{}}
	w.projects, w.projectArgs = db.projectFilter("n.project_id", q.ProjectIDs)
	relProjects, relProjectArgs := db.projectFilter("project_id", q.ProjectIDs)

	var t, o sql.RawBytes
	var tasks []*graphTask
	frontier := []string{q.Guid}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !b.g.Truncated; depth++ {
		var next []string
		for start := 0; start < len(frontier) && !b.g.Truncated; start += graphChunk {
			chunk := frontier[start:min(start+graphChunk, len(frontier))]
			// The chunk's nodes, in parts of the chunk: a walk the limit stops reads little more than it keeps.
			for pos := 0; pos < len(chunk) && !b.g.Truncated; {
				n := min(len(chunk)-pos, w.parts(b.limit-len(b.g.Nodes), len(b.g.Nodes)-1))
				part := chunk[pos : pos+n]
				pos += n
				if err := w.linksOf(ctx, part); err != nil {
					return nil, err
				}
				for k, guid := range part {
					if b.g.Truncated {
						break
					}
					w.tablesDone++
					ti, ok := b.ids[guid] // a frontier table: in the graph already
					if !ok {
						ti = -1
					}
					var err error
					if tasks, err = w.tasksOf(ctx, tasks[:0], k, w.batch(b.limit-len(b.g.Nodes), len(b.g.Nodes)-1)); err != nil {
						return nil, err
					}
					for _, c := range tasks {
						if c.node == 0 {
							i, _ := b.add(sluice.GraphNode{ID: strconv.FormatInt(c.id, 10), Kind: sluice.GraphTask, Name: c.name, ProjectID: c.projectID, Depth: depth})
							if i < 0 {
								break
							}
							c.node = i + 1
						}
						task := c.node - 1
						if up {
							b.edge(task, ti)
						} else {
							b.edge(ti, task)
						}
						if c.linked {
							// Reached again (downstream: through another table it reads): its edges to others are
							// there but for the one to the table that first led to it, which this table does not skip.
							if c.skip && c.skipped != guid {
								c.skip = false
								oi := b.ids[c.skipped]
								if up {
									b.edge(oi, task)
								} else {
									b.edge(task, oi)
								}
							}
							continue
						}
						for _, o := range c.others {
							if o == guid {
								c.skip, c.skipped = true, guid
								continue
							}
							oi, added := b.table(o, depth)
							if oi < 0 {
								break
							}
							if added {
								next = append(next, o)
							}
							if up {
								b.edge(oi, task)
							} else {
								b.edge(task, oi)
							}
						}
						if b.g.Truncated {
							break
						}
						c.linked = true
					}
				}
			}

			cond, args, fixed := db.strList(self, chunk)
			rrows, err := db.queryFiltered(ctx, !fixed, "SELECT "+self+", "+other+" FROM lineage_relations WHERE "+cond+relProjects+
				" ORDER BY "+self+", "+other, append(args, relProjectArgs...)...)
			if err != nil {
				return nil, err
			}
			for rrows.Next() {
				if err := rrows.Scan(&t, &o); err != nil {
					rrows.Close()
					return nil, err
				}
				ti, ok := b.ids[string(t)]
				if !ok {
					ti = -1
				}
				oi, added := b.table(string(o), depth)
				if added {
					next = append(next, b.g.Nodes[oi].ID)
				}
				if up {
					b.edge(oi, ti)
				} else {
					b.edge(ti, oi)
				}
			}
			rrows.Close()
			if err := rrows.Err(); err != nil {
				return nil, err
			}
		}
		sort.Strings(next)
		frontier = next
	}
	// The walk stopped at q.Depth with tables whose own lineage it did not follow: say whether there is any.
	for start := 0; !b.g.Truncated && !b.g.DepthLimited && start < len(frontier); start += graphChunk {
		chunk := frontier[start:min(start+graphChunk, len(frontier))]
		if err := w.linksOf(ctx, chunk); err != nil {
			return nil, err
		}
		for k := range chunk {
			var err error
			if tasks, err = w.tasksOf(ctx, tasks[:0], k, graphChunk); err != nil {
				return nil, err
			}
			if len(tasks) > 0 {
				b.g.DepthLimited = true
				break
			}
		}
		if b.g.DepthLimited {
			break
		}
		cond, args, fixed := db.strList(self, chunk)
		rrows, err := db.queryFiltered(ctx, !fixed, "SELECT "+self+" FROM lineage_relations WHERE "+cond+relProjects, append(args, relProjectArgs...)...)
		if err != nil {
			return nil, err
		}
		b.g.DepthLimited = rrows.Next()
		rrows.Close()
		if err := rrows.Err(); err != nil {
			return nil, err
		}
	}
	return b.g, nil
}
