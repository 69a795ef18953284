package lineage

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Schemas holds the known table schemas: a table name, written as the
// lineage writes names (lower case, qualifiers as written), to its column
// names in order, partition columns last, as MaxCompute orders them.
type Schemas map[string][]string

// ColumnResult is the column lineage of one script: the table lineage (the
// same answer Extract gives) and one entry per column written.
type ColumnResult struct {
	Inputs  []string         `json:"inputs"`
	Outputs []string         `json:"outputs"`
	Errors  []StatementError `json:"errors"`
	Columns []ColumnEdge     `json:"columns"`
	Uses    []ColumnUse      `json:"uses,omitempty"`
}

// ColumnEdge is one target column and the input columns its values come from.
type ColumnEdge struct {
	Target  string   `json:"target"`  // TABLE.COLUMN, or TABLE.* for an unknown expansion
	Sources []string `json:"sources"` // TABLE.COLUMN, sorted, unique; never nil
	Kind    string   `json:"kind"`    // direct, expression, aggregation or constant
	Assumed bool     `json:"assumed,omitempty"`
}

// ColumnUse lists the input columns a script filters, joins, groups or
// orders on to write a table: they decide which rows, not what values.
type ColumnUse struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// Column kinds, as the spec names them.
const (
	KindConstant    = "constant"
	KindDirect      = "direct"
	KindExpression  = "expression"
	KindAggregation = "aggregation"
)

// colKind orders the kinds so that combining paths takes the maximum: a
// constant branch of a UNION adds no path, one expression or aggregate on
// any path decides the whole.
type colKind uint8

const (
	kConst colKind = iota
	kDirect
	kExpr
	kAgg
)

var kindNames = [...]string{kConst: KindConstant, kDirect: KindDirect, kExpr: KindExpression, kAgg: KindAggregation}

// colInfo is where a value comes from: input columns and how.
type colInfo struct {
	srcs []colRef
	kind colKind
}

// colRef is column col of table. Sources travel as these pairs and are
// joined into the answer's "table.col" only when it is built (finish):
// following a column then costs no string building, and no lookup in a
// table of interned names (those lookups were a quarter of the time).
type colRef struct{ table, col string }

// key is the identity of a name as the answer reads it back, at its last
// dot: t + `a.b` and t.a + b are one name, and a backquoted column with a
// dot moves its first part to the table.
func key(table, col string) colRef {
	if strings.IndexByte(col, '.') < 0 {
		return colRef{table, col}
	}
	return refOf(table + "." + col)
}

// refOf splits a joined name at its last dot.
func refOf(s string) colRef {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return colRef{col: s}
	}
	return colRef{s[:i], s[i+1:]}
}

// starTable is the table of an expansion source "T.*", or, for any other
// source, its whole name (which names no table).
func starTable(c colRef) string {
	if k := key(c.table, c.col); k.col == "*" {
		return k.table
	}
	return c.table + "." + c.col
}

// cmpJoined compares a and b as the strings "table.col" they stand for,
// without building them.
func cmpJoined(a, b colRef) int {
	if a.table == b.table {
		return strings.Compare(a.col, b.col)
	}
	n := min(len(a.table), len(b.table))
	if c := strings.Compare(a.table[:n], b.table[:n]); c != 0 {
		return c
	}
	// One table name begins the other: byte by byte from there.
	la, lb := len(a.table)+1+len(a.col), len(b.table)+1+len(b.col)
	for i := n; i < la && i < lb; i++ {
		if ca, cb := a.at(i), b.at(i); ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return la - lb
}

// at is byte i of "table.col".
func (c colRef) at(i int) byte {
	switch {
	case i < len(c.table):
		return c.table[i]
	case i == len(c.table):
		return '.'
	}
	return c.col[i-len(c.table)-1]
}

// outCol is one output column of a query. A star placeholder (star set)
// stands for all the columns of tables whose schema is unknown.
type outCol struct {
	name    string
	info    colInfo
	star    []string
	assumed bool // the name is the engine's _cN, not written
}

// ExtractColumns returns the column lineage of script, written in dialect d,
// given the schemas of tables it reads and writes (nil when none is known).
// Inputs, Outputs and Errors are Extract's; statements whose columns cannot
// be followed and ambiguous column references are added to Errors. Like
// Extract it does no I/O and never panics.
func ExtractColumns(script string, d Dialect, schemas Schemas) ColumnResult {
	x := colPool.Get().(*colExtractor)
	r := &x.r
	r.reset(script, schemas)
	x.tab.cols = x
	tab := x.tab.extract(script, d)
	// One edge per entry, but for expansions of temporary tables.
	res := ColumnResult{Inputs: tab.Inputs, Outputs: tab.Outputs, Errors: tab.Errors, Columns: make([]ColumnEdge, 0, len(r.entries))}
	r.finish(&res)
	// Keep the scratch space for the next call unless one huge script made
	// it large.
	if x.tab.small() && x.p.nodes() <= 1<<13 && len(r.entries) <= 1<<12 && cap(r.text) <= 1<<20 && cap(r.useBy) <= 1<<14 {
		r.schemas, r.src, r.inputs = nil, "", nil
		colPool.Put(x)
	}
	return res
}

// statement parses and resolves the columns of one statement the table
// parser understood: toks are its tokens, ending with the end marker.
func (x *colExtractor) statement(src string, d Dialect, toks []token, index int) {
	p := &x.p
	p.reset(src, toks, d, 0) // 0: the table lineage already reported skipped SELECTs
	p.resetNodes()
	s := p.parseStatement()
	x.r.stmt = index
	if p.err != nil {
		x.r.addError(p.err.offset, "column lineage: "+p.err.reason)
	} else {
		x.r.statement(s)
	}
}

// colExtractor is the scratch space of one call, kept in a pool: the table
// extractor (tokens, table parser and resolver), the column parser's node
// slabs and the column resolver's maps and buffers.
type colExtractor struct {
	tab extractor
	p   colParser
	r   colResolver
}

var colPool = sync.Pool{New: func() any { return &colExtractor{} }}

// reset prepares r for a script, keeping its maps' and buffers' memory.
func (r *colResolver) reset(src string, schemas Schemas) {
	if r.index == nil {
		r.index = map[colRef]int{}
	}
	clear(r.index)
	clear(r.local)
	clear(r.vars)
	clear(r.seen)
	clear(r.memo)
	*r = colResolver{
		src: src, schemas: schemas, index: r.index, local: r.local, vars: r.vars, useBy: r.useBy[:0], targets: r.targets[:0],
		seen: r.seen, memo: r.memo, temp: r.temp, ctes: r.ctes[:0], entries: r.entries[:0],
		uses: r.uses[:0], refs: r.refs, outs: r.outs, srcs: r.srcs, scopes: r.scopes,
		text: r.text[:0], ends: r.ends[:0], pend: r.pend[:0], sorted: r.sorted[:0],
	}
	r.scopes.reset()
	r.refs.reset()
	r.outs.reset()
	r.srcs.reset()
}

// colResolver follows columns through one script's statements.
type colResolver struct {
	src     string
	schemas Schemas
	local   map[string][]string // schemas created by the script
	vars    map[string][]outCol // ODPS @x := query
	ctes    []cteOut
	entries []entry
	index   map[colRef]int // target (as key names it) -> entries
	uses    []colRef       // the current statement's uses
	// useBy holds the uses of every statement, once per table it writes;
	// finish groups them by table. Duplicates are left to the answer's
	// sorting, which drops them anyway.
	useBy   []tableUse
	targets []string // the current statement's
	stmt    int
	pos     lineCounter
	errs    []StatementError
	seen    map[int]bool       // error offsets already reported
	inputs  []string           // the table lineage's, sorted: searched, not copied into a map
	temp    map[string]bool    // tables written but not among the outputs, kept between calls
	memo    map[colRef]memoCol // temporary table columns already followed
	refs    carve[colRef]
	outs    carve[outCol]
	srcs    carve[scopeSrc]
	scopes  carve[scope]
	// The answer's names, written one after the other into text (each
	// ends at ends[i]) and cut from one string when the answer is built:
	// pend says where each goes. sorted is scratch for sorting sources.
	text   []byte
	ends   []int
	pend   []pendingNames
	sorted []colRef
}

// pendingNames are the names of one edge (its target, then its sources,
// from name on) or of one use (sources only, edge < 0: Uses[-1-edge]).
type pendingNames struct {
	edge, name, n int
}

// carve hands out slices of one growing buffer, each capped at the length
// asked for, so that appending past it copies instead of overwriting the
// next one. Reset per call, the buffers are kept with the pooled extractor:
// most of the resolver's small slices then cost no allocation.
type carve[T any] struct{ buf []T }

func (c *carve[T]) take(n int) []T {
	if cap(c.buf)-len(c.buf) < n {
		c.buf = make([]T, 0, max(2048, 2*n))
	}
	i := len(c.buf)
	c.buf = c.buf[:i+n]
	return c.buf[i : i : i+n]
}

func (c *carve[T]) reset() { c.buf = c.buf[:0] }

// single returns a one-element source list. Lists share one backing array
// and are capped at their length, so appending to one copies it.
func (r *colResolver) single(c colRef) []colRef {
	return append(r.refs.take(1), c)
}

type tableUse struct {
	table string
	use   colRef
}

type cteOut struct {
	name string
	outs []outCol
}

type entry struct {
	table, col string
	info       colInfo
	assumed    bool
}

func (r *colResolver) addError(offset int, reason string) {
	if r.seen == nil {
		r.seen = map[int]bool{}
	}
	if r.seen[offset] {
		return
	}
	r.seen[offset] = true
	line, col := r.pos.at(r.src, offset)
	r.errs = append(r.errs, StatementError{Index: r.stmt, Offset: offset, Line: line, Column: col, Reason: reason})
}

// schema returns the known columns of a table.
func (r *colResolver) schema(name string) ([]string, bool) {
	if c, ok := r.local[name]; ok {
		return c, true
	}
	if c, ok := r.schemas[name]; ok {
		return c, true
	}
	// A schema given for the unqualified name serves project.name too.
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return r.schema(name[i+1:])
	}
	return nil, false
}

func (r *colResolver) setSchema(name string, cols []string) {
	if r.local == nil {
		r.local = map[string][]string{}
	}
	r.local[name] = cols
}

func (r *colResolver) statement(s *cStmt) {
	r.ctes = r.ctes[:0]
	r.uses = r.uses[:0]
	r.pushWith(s.with, nil)
	targets := r.targets[:0]
	switch s.kind {
	case csQuery:
		r.query(s.query, nil)
	case cVar:
		if r.vars == nil {
			r.vars = map[string][]outCol{}
		}
		r.vars[s.varName] = r.query(s.query, nil)
	case csInsert:
		var from *scope
		if s.from != nil {
			from = r.newScope(len(s.from))
			r.addSources(from, s.from)
		}
		for _, in := range s.inserts {
			var outs []outCol
			switch {
			case in.branch != nil:
				outs = r.selectOuts(in.branch, nil, from)
			case in.query != nil:
				outs = r.query(in.query, nil)
			default:
				for _, e := range in.rows {
					outs = append(outs, outCol{info: r.exprInfo(nil, e)})
				}
			}
			r.insert(in, outs)
			targets = append(targets, in.target.name)
		}
	case cCTAS, cView:
		outs := r.query(s.query, nil)
		name := s.object.name
		var cols []string
		hasStar := false
		for i, o := range outs {
			if o.star != nil {
				hasStar = true
				r.emitStarOut(name, o)
				continue
			}
			col, assumed := o.name, o.assumed
			if s.kind == cView && i < len(s.cols) {
				// The view's column list names it: written, not the
				// engine's _cN.
				col, assumed = s.cols[i], false
			}
			cols = append(cols, col)
			r.emit(name, col, o.info, assumed)
		}
		if !hasStar {
			r.setSchema(name, cols)
		}
		targets = append(targets, name)
	case cCreateTable:
		if s.like != "" {
			if c, ok := r.schema(s.like); ok {
				r.setSchema(s.object.name, c)
			}
		} else if len(s.cols) > 0 {
			r.setSchema(s.object.name, s.cols)
		}
	case cClone:
		dst := s.object.name
		if c, ok := r.schema(s.clone); ok {
			for _, col := range c {
				r.emit(dst, col, colInfo{srcs: r.single(colRef{s.clone, col}), kind: kDirect}, false)
			}
		} else {
			r.emitStar(dst, []string{s.clone})
		}
		targets = append(targets, dst)
	case cMerge, cUpdate:
		r.mergeOrUpdate(s)
		targets = append(targets, s.object.name)
	}
	r.targets = targets
	for _, t := range targets {
		for _, u := range r.uses {
			r.useBy = append(r.useBy, tableUse{t, u})
		}
	}
}

// mergeOrUpdate follows MERGE INTO t USING s and UPDATE t SET ... [FROM ...].
func (r *colResolver) mergeOrUpdate(s *cStmt) {
	target := s.object.name
	sc := r.newScope(1 + len(s.from))
	r.addSources(sc, []*cSource{{kind: srcTable, table: s.object, alias: s.alias}})
	r.addSources(sc, s.from)
	for _, u := range s.uses {
		r.useExpr(sc, u)
	}
	for _, a := range s.merge {
		r.emit(target, a.col, r.exprInfo(sc, a.expr), false)
	}
	tcols, known := r.schema(target)
	for _, in := range s.mergeIn {
		switch {
		case in.star:
			// INSERT * / UPDATE SET *: each target column from the source
			// column of the same name.
			if len(sc.srcs) < 2 {
				continue
			}
			src := &sc.srcs[1]
			switch {
			case known:
				for _, c := range tcols {
					r.emit(target, c, r.srcCol(src, c), false)
				}
			case src.cols != nil:
				for _, o := range src.cols {
					if o.star != nil {
						r.emitStarOut(target, o)
						continue
					}
					r.emit(target, o.name, o.info, true)
				}
			case src.schema != nil:
				// A source table of known columns: the target has
				// those, by name.
				for _, c := range src.schema {
					r.emit(target, c, r.srcCol(src, c), true)
				}
			case src.table != "":
				r.emitStar(target, []string{src.table})
			}
		default:
			names := in.cols
			if names == nil && known {
				names = tcols
			}
			for i, e := range in.vals {
				if i < len(names) {
					r.emit(target, names[i], r.exprInfo(sc, e), false)
				}
			}
		}
	}
}

// insert maps a query's output columns onto an INSERT target.
func (r *colResolver) insert(in *cInsert, outs []outCol) {
	table := in.target.name
	var dyn []string
	for _, pt := range in.parts {
		if !pt.static {
			dyn = append(dyn, pt.name)
		}
	}
	// Static partition values are constants, listed after the columns as
	// the table orders them.
	defer func() {
		for _, pt := range in.parts {
			if pt.static {
				r.emit(table, pt.name, colInfo{kind: kConst}, false)
			}
		}
	}()
	if hasStar(outs) {
		// An expansion of unknown columns: positions mean nothing.
		for _, o := range outs {
			if o.star != nil {
				r.emitStarOut(table, o)
			} else {
				r.emit(table, o.name, o.info, true)
			}
		}
		return
	}
	var names []string
	switch schema, known := r.schema(table); {
	case len(in.cols) > 0:
		names = append(names, in.cols...)
		for _, d := range dyn {
			if !slices.Contains(names, d) {
				names = append(names, d)
			}
		}
	case known:
		for _, c := range schema {
			if !slices.ContainsFunc(in.parts, func(p cPart) bool { return p.name == c }) {
				names = append(names, c)
			}
		}
		names = append(names, dyn...)
	}
	if names == nil {
		if in.query == nil && in.branch == nil {
			return // VALUES into a table of unknown columns: nothing to name
		}
		// Unknown schema: the select list names the columns, and the
		// trailing expressions feed the dynamic partitions.
		n := len(outs) - len(dyn)
		for i, o := range outs {
			if n >= 0 && i >= n {
				r.emit(table, dyn[i-n], o.info, false)
			} else {
				r.emit(table, o.name, o.info, true)
			}
		}
		return
	}
	for i := 0; i < len(names) && i < len(outs); i++ {
		r.emit(table, names[i], outs[i].info, false)
	}
}

// emit records that table.col receives info; a column written twice
// receives both.
func (r *colResolver) emit(table, col string, info colInfo, assumed bool) {
	k := key(table, col)
	if i, ok := r.index[k]; ok {
		e := &r.entries[i]
		e.info.srcs = append(e.info.srcs, info.srcs...)
		e.info.kind = max(e.info.kind, info.kind)
		e.assumed = e.assumed && assumed
		return
	}
	r.index[k] = len(r.entries)
	// Clipped, not copied: no list of sources is changed in place once
	// built, and appending to a clipped one copies it.
	r.entries = append(r.entries, entry{table: table, col: col, info: colInfo{srcs: slices.Clip(info.srcs), kind: info.kind}, assumed: assumed})
}

// emitStar records T.* <- S.*: the columns of tables whose schema is unknown.
func (r *colResolver) emitStar(table string, from []string) {
	r.emitStarOut(table, outCol{star: from})
}

// emitStarOut writes a star placeholder onto table: every column from the same column of its unknown tables,
// and from whatever else the placeholder carries (the columns of a set operation's other branches, which no
// position ties to a column).
func (r *colResolver) emitStarOut(table string, o outCol) {
	srcs := make([]colRef, 0, len(o.star)+len(o.info.srcs))
	for _, f := range o.star {
		srcs = append(srcs, colRef{f, "*"})
	}
	srcs = append(srcs, o.info.srcs...)
	r.emit(table, "*", colInfo{srcs: srcs, kind: max(kDirect, o.info.kind)}, true)
}

// --- queries -----------------------------------------------------------------

// scope is the FROM clause of a select block: its sources and the scope
// it is nested in (for correlated subqueries).
type scope struct {
	srcs    []scopeSrc
	parent  *scope
	using   []string
	natural bool
}

type scopeSrc struct {
	alias  string   // as written, or "" for a table without alias
	table  string   // a table's name
	schema []string // a table's known columns
	cols   []outCol // a derived table's, CTE's, LATERAL VIEW's or VALUES' columns
	known  bool     // schema or cols are the complete list
	stars  []string // cols include expansions of these unknown tables
	fn     *colInfo // a table function without column names: every column comes from it
	// PIVOT and UNPIVOT: the scope of the relation turned, which columns
	// not in cols pass through from, but the hidden ones the clause consumes.
	inner  *scope
	hidden []string
}

func (s *scopeSrc) matches(qual string) bool {
	if s.alias != "" {
		// A table variable without an alias answers to its name with or without the '@': MaxCompute's own
		// examples write FROM @a JOIN @b ON a.key = b.key.
		return s.alias == qual || s.alias[0] == '@' && s.alias[1:] == qual
	}
	if s.table == "" {
		return false
	}
	if s.table == qual {
		return true
	}
	i := strings.LastIndexByte(s.table, '.')
	return i >= 0 && s.table[i+1:] == qual
}

func (s *scopeSrc) has(name string) bool {
	if s.schema != nil {
		return slices.Contains(s.schema, name)
	}
	for i := range s.cols {
		if s.cols[i].name == name && s.cols[i].star == nil {
			return true
		}
	}
	return false
}

// pushWith resolves CTE bodies in order; each sees the ones before it.
func (r *colResolver) pushWith(ctes []cCTE, parent *scope) {
	for _, c := range ctes {
		outs := r.query(c.q, parent)
		rename(outs, c.cols)
		r.ctes = append(r.ctes, cteOut{name: c.name, outs: outs})
	}
}

func hasStar(outs []outCol) bool {
	return slices.ContainsFunc(outs, func(o outCol) bool { return o.star != nil })
}

// foldStar makes one star placeholder of two branches' columns: their unknown tables, and every other
// column's sources.
func foldStar(a, b []outCol) outCol {
	f := outCol{name: "*", star: []string{}}
	for _, outs := range [2][]outCol{a, b} {
		for _, o := range outs {
			f.star = append(f.star, o.star...)
			f.info.srcs = append(f.info.srcs, o.info.srcs...)
			f.info.kind = max(f.info.kind, o.info.kind)
		}
	}
	return f
}

func rename(outs []outCol, names []string) {
	for i := range outs {
		if i < len(names) && outs[i].star == nil {
			outs[i].name = names[i]
			outs[i].assumed = false
		}
	}
}

// query resolves a query to its output columns; UNION branches combine
// position by position.
func (r *colResolver) query(q *cQuery, parent *scope) []outCol {
	if q == nil {
		return nil
	}
	mark := len(r.ctes)
	r.pushWith(q.with, parent)
	var res []outCol
	for i, b := range q.branches {
		outs := r.selectOuts(b, parent, nil)
		if i == 0 {
			res = outs
			continue
		}
		if b.filters {
			// EXCEPT / INTERSECT: its values are never written.
			for _, o := range outs {
				r.uses = append(r.uses, o.info.srcs...)
			}
			continue
		}
		if hasStar(res) || hasStar(outs) {
			// A branch of unknown width: no position ties the other branch's columns to a column of the
			// result, so all of them flow into every column, through one star placeholder.
			res = []outCol{foldStar(res, outs)}
			continue
		}
		for j := 0; j < len(res) && j < len(outs); j++ {
			o := &res[j]
			o.info.srcs = append(append(r.refs.take(len(o.info.srcs)+len(outs[j].info.srcs)), o.info.srcs...), outs[j].info.srcs...)
			o.info.kind = max(o.info.kind, outs[j].info.kind)
			if outs[j].star != nil {
				o.star = append(slices.Clip(o.star), outs[j].star...)
			}
		}
	}
	r.ctes = r.ctes[:mark]
	return res
}

// selectOuts resolves one select block. shared is the FROM of a
// multi-insert, whose branches select from it.
func (r *colResolver) selectOuts(b *cSelect, parent, shared *scope) []outCol {
	if b.nested != nil {
		return r.query(b.nested, parent)
	}
	sc := &append(r.scopes.take(1), scope{parent: parent, using: b.using, natural: b.natural})[0]
	n := len(b.from)
	if shared != nil {
		n += len(shared.srcs)
	}
	sc.srcs = r.srcs.take(n)
	if shared != nil {
		sc.srcs = append(sc.srcs, shared.srcs...)
	}
	r.addSources(sc, b.from)
	outs := r.outs.take(len(b.items))
	for i, it := range b.items {
		if it.star {
			outs = r.expandStar(sc, it, outs)
			continue
		}
		o := outCol{name: it.alias, info: r.exprInfo(sc, it.expr)}
		if o.name == "" {
			if it.expr.bare() {
				o.name = it.expr.refs[0].name
			} else {
				o.name, o.assumed = "_c"+strconv.Itoa(i), true
			}
		}
		outs = append(outs, o)
		for _, name := range it.more {
			outs = append(outs, outCol{name: name, info: colInfo{srcs: slices.Clone(o.info.srcs), kind: o.info.kind}})
		}
	}
	for _, u := range b.uses {
		r.useExpr(sc, u)
	}
	return outs
}

func (r *colResolver) expandStar(sc *scope, it *cItem, outs []outCol) []outCol {
	match := columnMatcher(it.regex)
	for i := range sc.srcs {
		s := &sc.srcs[i]
		if it.starQual != "" && !s.matches(it.starQual) {
			continue
		}
		switch {
		case s.inner != nil:
			// The turned relation's columns but those consumed, then
			// the clause's.
			for _, o := range r.expandStar(s.inner, &cItem{star: true}, nil) {
				if !slices.Contains(s.hidden, o.name) {
					outs = append(outs, o)
				}
			}
			outs = append(outs, s.cols...)
		case s.schema != nil:
			for _, c := range s.schema {
				if match(c) {
					outs = append(outs, outCol{name: c, info: colInfo{srcs: r.single(colRef{s.table, c}), kind: kDirect}})
				}
			}
		case s.cols != nil:
			for _, o := range s.cols {
				if o.star != nil || match(o.name) {
					outs = append(outs, o)
				}
			}
		case s.table != "":
			// Unknown columns: those a regex selects are unknown too.
			outs = append(outs, outCol{name: "*", star: []string{s.table}})
		}
	}
	return outs
}

// columnMatcher returns what a column regex selects (every column for none). MaxCompute and Hive read the
// pattern as Java does, whose possessive quantifiers RE2 lacks: the idiom (a|b)?+.+, "every column but a and
// b", is read as that, and any other possessive pattern selects every column, more than it may, never fewer.
func columnMatcher(pattern string) func(string) bool {
	all := func(string) bool { return true }
	if pattern == "" {
		return all
	}
	if alts, ok := strings.CutSuffix(pattern, ")?+.+"); ok && strings.HasPrefix(alts, "(") && !strings.ContainsAny(strings.ReplaceAll(alts[1:], "|", ""), regexMeta+".") {
		except := strings.Split(strings.ToLower(alts[1:]), "|")
		return func(c string) bool { return !slices.Contains(except, c) }
	}
	if strings.Contains(pattern, "?+") || strings.Contains(pattern, "*+") || strings.Contains(pattern, "++") || strings.Contains(pattern, "}+") {
		return all
	}
	re, err := regexp.Compile("(?i)^(?:" + pattern + ")$")
	if err != nil {
		return all
	}
	return re.MatchString
}

// newScope returns an empty scope with room for n sources, from the call's
// buffers.
func (r *colResolver) newScope(n int) *scope {
	sc := &append(r.scopes.take(1), scope{})[0]
	sc.srcs = r.srcs.take(n)
	return sc
}

// addSources adds FROM items to sc in order; a LATERAL VIEW sees the
// sources before it.
func (r *colResolver) addSources(sc *scope, from []*cSource) {
	for _, s := range from {
		src := scopeSrc{alias: s.alias}
		switch s.kind {
		case srcTable:
			name := s.table.name
			if s.table.parts == 1 {
				if outs, ok := r.cte(name); ok {
					if src.alias == "" {
						src.alias = name
					}
					src.cols, src.known = outs, true
					break
				}
			}
			src.table = name
			if c, ok := r.schema(name); ok {
				src.schema, src.known = c, true
			}
		case srcDerived:
			outs := r.query(s.query, nil)
			rename(outs, s.cols)
			src.cols, src.known = outs, true
		case srcVar:
			src.cols, src.known = r.vars[s.table.name], true
			if src.cols == nil {
				src.cols = []outCol{}
			}
			if src.alias == "" {
				src.alias = s.table.name
			}
		case srcFunction:
			if s.ptf {
				src = r.tableFunctionOn(s)
				break
			}
			info := r.exprInfo(sc, s.args)
			info.kind = max(info.kind, kExpr)
			cols := s.cols
			if cols == nil {
				cols = defaultFnCols(s.fn)
			}
			if cols == nil {
				src.fn = &info
				break
			}
			src.cols, src.known = make([]outCol, len(cols)), true
			for i, c := range cols {
				src.cols[i] = outCol{name: c, info: info}
			}
		case srcPivot:
			src = r.turn(s)
		case srcValues:
			src.cols, src.known = make([]outCol, len(s.cols)), true
			for i, c := range s.cols {
				src.cols[i] = outCol{name: c, info: colInfo{kind: kConst}}
			}
		}
		for _, o := range src.cols {
			if o.star != nil {
				src.stars = append(src.stars, o.star...)
				src.known = false
			}
		}
		sc.srcs = append(sc.srcs, src)
	}
}

// tableFunctionOn resolves a Hive partitioned table function, fn(ON src
// PARTITION BY ... ORDER BY ... arg1(...)). The source is read in a scope of
// its own: the arguments name its columns, and decide how its rows are
// partitioned, ordered and matched, not the values: uses. The noop
// functions pass their source's rows on as they are, so their columns are
// the source's; what any other function (matchpath) returns is not known
// here, and its columns are left unresolved rather than guessed.
func (r *colResolver) tableFunctionOn(s *cSource) scopeSrc {
	src := scopeSrc{alias: s.alias}
	if s.on == nil {
		return src
	}
	on := r.newScope(1)
	r.addSources(on, []*cSource{s.on})
	r.useExpr(on, s.args)
	switch s.fn {
	case "noop", "noopwithmap", "noopstreaming", "noopwithmapstreaming":
		src = on.srcs[0]
		src.stars = nil // counted again from the columns by the caller
		if s.alias != "" {
			src.alias = s.alias
		}
	}
	return src
}

// turn resolves a PIVOT or UNPIVOT: the relation it turns is read in a
// scope of its own, which the columns the clause makes resolve in, and
// which every other column passes through from, but those the clause
// consumes. The source's list of columns stays incomplete (known is false):
// what passes through is the relation's.
func (r *colResolver) turn(s *cSource) scopeSrc {
	t := s.turn
	src := scopeSrc{alias: s.alias, inner: r.newScope(len(t.inner)), hidden: t.hidden}
	r.addSources(src.inner, t.inner)
	src.cols = make([]outCol, 0, len(t.cols))
	for _, c := range t.cols {
		var info colInfo
		switch {
		case c.agg != nil:
			info = r.exprInfo(src.inner, c.agg)
		default:
			for _, ref := range c.refs {
				ci := r.resolve(src.inner, ref, false)
				info.srcs = append(info.srcs, ci.srcs...)
				info.kind = max(info.kind, ci.kind)
			}
		}
		src.cols = append(src.cols, outCol{name: c.name, info: info})
	}
	return src
}

// defaultFnCols names the columns of a generator used without AS, as Hive
// and Spark do.
func defaultFnCols(fn string) []string {
	switch fn {
	case "explode", "explode_outer":
		return []string{"col"}
	case "posexplode", "posexplode_outer":
		return []string{"pos", "col"}
	}
	return nil
}

func (r *colResolver) cte(name string) ([]outCol, bool) {
	for i := len(r.ctes) - 1; i >= 0; i-- {
		if r.ctes[i].name == name {
			return r.ctes[i].outs, true
		}
	}
	return nil, false
}

// --- expressions ---------------------------------------------------------

// exprInfo resolves the columns an expression's value comes from.
func (r *colResolver) exprInfo(sc *scope, e *cExpr) colInfo {
	var info colInfo
	if e.bare() {
		// The commonest item: one column, passed on as it is.
		info = r.resolve(sc, e.refs[0], true)
		if info.kind < kDirect && len(info.srcs) > 0 {
			info.kind = kDirect
		}
		return info
	}
	ref := kConst
	// Room for one source per reference, the common case, from the
	// call's buffer: capped, a longer list is copied out of it.
	info.srcs = r.refs.take(len(e.refs))
	for _, c := range e.refs {
		ci := r.resolve(sc, c, true)
		info.srcs = append(info.srcs, ci.srcs...)
		ref = max(ref, ci.kind)
	}
	for _, q := range e.subs {
		for _, o := range r.query(q, sc) {
			info.srcs = append(info.srcs, o.info.srcs...)
			ref = max(ref, o.info.kind)
		}
	}
	for _, c := range e.window {
		r.uses = append(r.uses, r.resolve(sc, c, false).srcs...)
	}
	switch {
	case e.agg:
		info.kind = kAgg
	case e.bare():
		info.kind = ref
	case len(e.refs) == 0 && len(e.subs) == 0 && !e.fn && !e.win:
		info.kind = kConst
	default:
		info.kind = max(kExpr, ref)
	}
	return info
}

// useExpr records the columns of a filter, join, grouping or ordering.
func (r *colResolver) useExpr(sc *scope, e *cExpr) {
	for _, c := range e.refs {
		r.uses = append(r.uses, r.resolve(sc, c, false).srcs...)
	}
	for _, c := range e.window {
		r.uses = append(r.uses, r.resolve(sc, c, false).srcs...)
	}
	for _, q := range e.subs {
		for _, o := range r.query(q, sc) {
			r.uses = append(r.uses, o.info.srcs...)
		}
	}
}

// resolve finds the column a reference names, innermost scope first. check
// reports an unqualified name found in two sources of known columns.
func (r *colResolver) resolve(sc *scope, c cRef, check bool) colInfo {
	for s := sc; s != nil; s = s.parent {
		if c.qual != "" {
			for i := range s.srcs {
				if s.srcs[i].matches(c.qual) {
					return r.srcCol(&s.srcs[i], c.name)
				}
			}
			continue
		}
		var hit *scopeSrc
		for i := range s.srcs {
			src := &s.srcs[i]
			if !src.has(c.name) {
				continue
			}
			if hit == nil {
				hit = src
				continue
			}
			if check && !s.natural && !slices.Contains(s.using, c.name) {
				r.addError(c.offset, "ambiguous column "+strconv.Quote(c.name)+": in "+srcName(hit)+" and "+srcName(src))
				return colInfo{kind: kDirect}
			}
		}
		if hit != nil {
			return r.srcCol(hit, c.name)
		}
		// Not in any known list: a source of unknown columns has it. With
		// several such sources this is a guess: the first.
		for i := range s.srcs {
			if src := &s.srcs[i]; !src.known || src.fn != nil {
				return r.srcCol(src, c.name)
			}
		}
	}
	if c.qual != "" {
		return r.field(sc, c, check)
	}
	return colInfo{kind: kDirect}
}

// field resolves a qualified name whose qualifier is no source: s.f, a
// field of the struct column s, or t.s.f (t.s.f1.f2, ...) of the column s
// of source t. The value is one field of the column, not the column as it
// is, so it is at least an expression.
func (r *colResolver) field(sc *scope, c cRef, check bool) colInfo {
	var info colInfo
	if i := strings.IndexByte(c.qual, '.'); i < 0 {
		info = r.resolve(sc, cRef{name: c.qual, offset: c.offset}, check)
	} else {
		// The longest leading part that names a source qualifies the
		// column; none is a name the script does not define: no guess.
		found := false
		for j := strings.LastIndexByte(c.qual, '.'); j > 0 && !found; j = strings.LastIndexByte(c.qual[:j], '.') {
			if q := c.qual[:j]; sc.qualifies(q) {
				col := c.qual[j+1:]
				if k := strings.IndexByte(col, '.'); k >= 0 {
					col = col[:k]
				}
				info, found = r.resolve(sc, cRef{qual: q, name: col, offset: c.offset}, check), true
			}
		}
		if !found {
			return colInfo{kind: kDirect}
		}
	}
	if len(info.srcs) > 0 {
		info.kind = max(info.kind, kExpr)
	}
	return info
}

// qualifies reports whether q names a source of sc or of a scope around it.
func (sc *scope) qualifies(q string) bool {
	for s := sc; s != nil; s = s.parent {
		for i := range s.srcs {
			if s.srcs[i].matches(q) {
				return true
			}
		}
	}
	return false
}

func srcName(s *scopeSrc) string {
	if s.alias != "" {
		return s.alias
	}
	return s.table
}

// srcCol is column name of one source.
func (r *colResolver) srcCol(s *scopeSrc, name string) colInfo {
	for i := range s.cols {
		if s.cols[i].name == name && s.cols[i].star == nil {
			return s.cols[i].info
		}
	}
	switch {
	case s.inner != nil:
		if slices.Contains(s.hidden, name) {
			return colInfo{kind: kDirect}
		}
		return r.resolve(s.inner, cRef{name: name}, false)
	case s.table != "":
		// Unknown schema, or a column the schema does not list: the script
		// knows better.
		return colInfo{srcs: r.single(colRef{s.table, name}), kind: kDirect}
	case s.stars != nil:
		srcs := make([]colRef, len(s.stars))
		for i, t := range s.stars {
			srcs[i] = colRef{t, name}
		}
		return colInfo{srcs: srcs, kind: kDirect}
	case s.fn != nil:
		return *s.fn
	}
	return colInfo{kind: kDirect}
}

// --- the script ------------------------------------------------------------

// finish follows temporary tables through to the real tables they came
// from and builds the answer. A table written by the script that is not
// among the table lineage's outputs is temporary: a session object, or
// created and dropped by the script.
func (r *colResolver) finish(res *ColumnResult) {
	r.inputs = res.Inputs
	if r.temp == nil {
		r.temp = map[string]bool{}
	}
	clear(r.temp)
	temp := r.temp
	for i, e := range r.entries {
		if (i == 0 || e.table != r.entries[i-1].table) && !contains(res.Outputs, e.table) {
			temp[e.table] = true
		}
	}
	for _, e := range r.entries {
		if temp[e.table] {
			continue
		}
		if e.col == "*" {
			r.appendStar(res, e, temp)
			continue
		}
		info := r.follow(e.info, temp, 0)
		r.addEdge(res, e.table, e.col, info.srcs, info.kind, e.assumed)
	}
	if len(r.useBy) > 0 {
		// Grouped by table, in the order of the answer.
		slices.SortFunc(r.useBy, func(a, b tableUse) int { return strings.Compare(a.table, b.table) })
		for i := 0; i < len(r.useBy); {
			t := r.useBy[i].table
			srcs := r.refs.take(len(r.useBy) - i)
			for ; i < len(r.useBy) && r.useBy[i].table == t; i++ {
				srcs = append(srcs, r.useBy[i].use)
			}
			if temp[t] {
				continue
			}
			info := r.follow(colInfo{srcs: srcs, kind: kDirect}, temp, 0)
			if len(info.srcs) > 0 {
				name := len(r.ends)
				r.pend = append(r.pend, pendingNames{edge: -1 - len(res.Uses), name: name, n: r.addSourceNames(info.srcs)})
				res.Uses = append(res.Uses, ColumnUse{Table: t})
			}
		}
	}
	r.cutNames(res)
	res.Errors = append(res.Errors, r.errs...)
	slices.SortStableFunc(res.Errors, func(a, b StatementError) int {
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		return a.Offset - b.Offset
	})
}

// contains reports whether the sorted set holds s.
func contains(set []string, s string) bool {
	_, ok := slices.BinarySearch(set, s)
	return ok
}

func (r *colResolver) isInput(t string) bool { return contains(r.inputs, t) }

// addEdge appends the edge table.col <- srcs to res; its names are filled
// in by cutNames.
func (r *colResolver) addEdge(res *ColumnResult, table, col string, srcs []colRef, kind colKind, assumed bool) {
	name := len(r.ends)
	r.addName(table, col)
	r.pend = append(r.pend, pendingNames{edge: len(res.Columns), name: name, n: r.addSourceNames(srcs)})
	res.Columns = append(res.Columns, ColumnEdge{Kind: kindNames[kind], Assumed: assumed})
}

func (r *colResolver) addName(table, col string) {
	r.text = append(r.text, table...)
	r.text = append(r.text, '.')
	r.text = append(r.text, col...)
	r.ends = append(r.ends, len(r.text))
}

// addSourceNames writes the names of srcs, sorted and without duplicates,
// and returns how many it wrote.
func (r *colResolver) addSourceNames(srcs []colRef) int {
	r.sorted = append(r.sorted[:0], srcs...)
	slices.SortFunc(r.sorted, cmpJoined)
	n := 0
	for i, c := range r.sorted {
		if i > 0 && cmpJoined(r.sorted[i-1], c) == 0 {
			continue
		}
		r.addName(c.table, c.col)
		n++
	}
	return n
}

// cutNames makes the names written since reset one string and hands out
// its pieces: an answer costs one allocation for all its names and one
// for all its source lists (each capped, so appending to one copies it).
func (r *colResolver) cutNames(res *ColumnResult) {
	text := string(r.text)
	total := 0
	for _, p := range r.pend {
		total += p.n
	}
	all := make([]string, total)
	name := func(k int) string {
		from := 0
		if k > 0 {
			from = r.ends[k-1]
		}
		return text[from:r.ends[k]]
	}
	for _, p := range r.pend {
		k := p.name
		srcs := all[:p.n:p.n]
		all = all[p.n:]
		if p.edge >= 0 {
			e := &res.Columns[p.edge]
			e.Target, e.Sources = name(k), srcs
			k++
		} else {
			res.Uses[-1-p.edge].Columns = srcs
		}
		for i := range srcs {
			srcs[i] = name(k + i)
		}
	}
}

// appendStar adds T.* <- S.*, with temporary S followed through.
func (r *colResolver) appendStar(res *ColumnResult, e entry, temp map[string]bool) {
	var srcs []colRef
	for _, s := range e.info.srcs {
		if key(s.table, s.col).col != "*" {
			// A column of a set operation's other branch (see foldStar), followed like any column.
			srcs = append(srcs, r.follow(colInfo{srcs: []colRef{s}, kind: kDirect}, temp, 0).srcs...)
			continue
		}
		t := starTable(s)
		if !temp[t] {
			if r.isInput(t) {
				srcs = append(srcs, s)
			}
			continue
		}
		// The temporary table's columns, when its writes named them.
		for _, te := range r.entries {
			if te.table != t {
				continue
			}
			if te.col == "*" {
				for _, ts := range te.info.srcs {
					if r.isInput(starTable(ts)) {
						srcs = append(srcs, ts)
					}
				}
				continue
			}
			info := r.follow(te.info, temp, 0)
			r.addEdge(res, e.table, te.col, info.srcs, info.kind, true)
		}
	}
	if len(srcs) > 0 {
		r.addEdge(res, e.table, "*", srcs, max(kDirect, e.info.kind), true)
	}
}

// follow replaces sources in temporary tables by what those columns were
// written from, composing the kinds: a direct path takes the kind of what
// it passes on, any other keeps the larger.
func (r *colResolver) follow(info colInfo, temp map[string]bool, depth int) colInfo {
	out := colInfo{kind: info.kind}
	if len(info.srcs) == 0 || depth > 32 {
		out.srcs = info.srcs
		return out
	}
	out.srcs = r.refs.take(len(info.srcs))
	found := false
	acc := kConst
	lastT, lastIn := "", false // consecutive sources mostly share a table
	for _, s := range info.srcs {
		k := key(s.table, s.col)
		if len(temp) == 0 || !temp[k.table] {
			if k.table != lastT {
				lastT, lastIn = k.table, r.isInput(k.table)
			}
			if !lastIn {
				// Not read by the script: the target of MERGE or UPDATE
				// itself, which the table lineage does not count as read.
				continue
			}
			out.srcs = append(out.srcs, s)
			acc = max(acc, info.kind)
			found = true
			continue
		}
		sub, ok := r.tempCol(k, temp, depth+1)
		if !ok {
			continue
		}
		out.srcs = append(out.srcs, sub.srcs...)
		if info.kind == kDirect {
			acc = max(acc, sub.kind)
		} else {
			acc = max(acc, info.kind, sub.kind)
		}
		found = true
	}
	if found {
		out.kind = acc
	}
	return out
}

// tempCol is what column k.col of temporary table k.table was written
// from, computed once: temporary tables written from each other (or
// themselves) would otherwise be followed again on every path,
// exponentially.
func (r *colResolver) tempCol(k colRef, temp map[string]bool, depth int) (colInfo, bool) {
	if m, ok := r.memo[k]; ok {
		return m.info, m.ok
	}
	if r.memo == nil {
		r.memo = map[colRef]memoCol{}
	}
	r.memo[k] = memoCol{} // a cycle back here adds nothing
	var info colInfo
	ok := false
	if i, found := r.index[k]; found {
		info, ok = r.follow(r.entries[i].info, temp, depth), true
	} else if i, found := r.index[colRef{k.table, "*"}]; found {
		var srcs []colRef
		for _, s := range r.entries[i].info.srcs {
			// T.* read as column k.col of T.
			if sk := key(s.table, s.col); sk.col == "*" {
				srcs = append(srcs, colRef{sk.table, k.col})
			} else {
				srcs = append(srcs, refOf(strings.TrimSuffix(s.table+"."+s.col, "*")+k.col))
			}
		}
		info, ok = r.follow(colInfo{srcs: srcs, kind: kDirect}, temp, depth), true
	}
	r.memo[k] = memoCol{info: info, ok: ok}
	return info, ok
}

type memoCol struct {
	info colInfo
	ok   bool
}
