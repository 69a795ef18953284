// Package lineage extracts table-level lineage from scheduled SQL scripts
// in the ODPS (MaxCompute), Hive and Spark SQL dialects.
//
// Extract returns the tables a script reads and writes, following the rules
// of the lineage spec: names are lower-cased with backquotes removed and
// qualifiers kept as written; CTEs, aliases, @variables, table functions,
// session objects and temporary tables (created and later dropped by the
// same script) are not tables. A statement the parser does not understand
// is reported in Result.Errors and never vanishes: what could still be read
// of it (its INSERT target, the tables of its other clauses) stays in the
// answer, and the error says so with Partial.
//
// The package does no I/O and never panics.
package lineage

import (
	"fmt"
	"slices"
	"sync"
)

// Dialect is the SQL dialect a script is written in.
type Dialect string

// Supported dialects.
const (
	ODPS  Dialect = "odps"
	Hive  Dialect = "hive"
	Spark Dialect = "spark"
)

// ParseDialect returns the dialect named s ("odps", "hive" or "spark").
func ParseDialect(s string) (Dialect, error) {
	switch d := Dialect(s); d {
	case ODPS, Hive, Spark:
		return d, nil
	}
	return "", fmt.Errorf("unknown SQL dialect %q (want odps, hive or spark)", s)
}

// Result is the table lineage of one script. With no Errors it is complete;
// with errors it holds what the other statements and the readable parts of
// the failed ones gave.
type Result struct {
	Inputs  []string         `json:"inputs"`  // tables and views read; sorted, no duplicates
	Outputs []string         `json:"outputs"` // tables and views written; sorted, no duplicates
	Errors  []StatementError `json:"errors"`  // statements that were not understood, in script order
}

// StatementError reports a statement that was not (fully) understood.
type StatementError struct {
	Index  int    `json:"statement"` // 1-based index among the script's non-empty statements
	Offset int    `json:"offset"`    // byte offset of the offending token in the script
	Line   int    `json:"line"`      // 1-based line of Offset
	Column int    `json:"column"`    // 1-based column of Offset, in bytes
	Reason string `json:"reason"`
	// Partial is set when tables were still read or written by the
	// statement and are in the Result (its INSERT target, the tables of
	// the clauses around the failure); the statement's lineage may lack
	// others. Without it the statement contributed nothing. Omitted from
	// JSON when false, so the answer of a script without it is unchanged.
	Partial bool `json:"partial,omitempty"`
}

func (e StatementError) Error() string {
	if e.Partial {
		return fmt.Sprintf("statement %d (line %d, column %d): %s (lineage partly recovered)", e.Index, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("statement %d (line %d, column %d): %s", e.Index, e.Line, e.Column, e.Reason)
}

// extractor holds per-call scratch space, reused through a pool: the
// tokens, the parser with its node arena, the resolver, and every name the
// statements read or write, so a call allocates little beyond its result.
type extractor struct {
	toks []token
	p    parser
	r    resolver
	stmt []stmtEffect
	// cols, set by ExtractColumns, is handed each statement the table
	// parser understood, on the same tokens: column lineage then costs no
	// second lexing or splitting, and skips exactly the statements the
	// table lineage reports.
	cols *colExtractor
}

// stmtEffect is what one statement did, before temporary tables are removed.
type stmtEffect struct {
	reads, writes span   // ranges of r.names
	created       string // CREATE TABLE/VIEW (not TEMPORARY) or CTAS
	dropped       string
}

var pool = sync.Pool{New: func() any { return &extractor{} }}

// Extract returns the table lineage of script, written in dialect d. An
// unknown dialect is treated as ODPS.
func Extract(script string, d Dialect) Result {
	x := pool.Get().(*extractor)
	r := x.extract(script, d)
	if x.small() {
		pool.Put(x)
	}
	return r
}

// small reports whether the scratch space is worth keeping for the next
// call: one huge script must not pin its memory.
func (x *extractor) small() bool {
	return cap(x.toks) <= 1<<16 && x.p.arena.size() <= 1<<12 && cap(x.r.names) <= 1<<14 && cap(x.p.match) <= 1<<16
}

func (x *extractor) extract(src string, d Dialect) Result {
	x.toks = lex(src, x.toks[:0])
	x.stmt = x.stmt[:0]
	x.r.names = x.r.names[:0]
	res := Result{Inputs: []string{}, Outputs: []string{}, Errors: []StatementError{}}
	x.r.sessions = nil
	x.r.forward = d == Hive
	var pos lineCounter
	index := 0
	for start := 0; ; {
		// lex ends the tokens with tEOF, so this scan needs no bounds check.
		// It counts the SELECTs, which the parser's guard checks.
		// One load of the token class per token: its clsStmtEnd bit ends
		// the statement, its fSelect bit is added (a branch on it would be
		// mispredicted at every SELECT).
		toks := x.toks // a local slice: x.toks would be reloaded per token
		end, selects := start, 0
		for ; end < len(toks); end++ {
			c := toks[end].cls
			if c&clsStmtEnd != 0 {
				break
			}
			selects += int(c>>fSelectShift) & 1
		}
		last := x.toks[end].kind == tEOF
		if end > start {
			index++
			x.statement(src, d, start, end, index, selects, &pos, &res)
		}
		if last {
			break
		}
		start = end + 1
	}
	x.finish(&res)
	return res
}

// statement parses and resolves the statement x.toks[start:end], the index-th
// non-empty one, holding selects SELECT keywords, and records its effect and
// its error. A statement with an error still records what was read of it.
func (x *extractor) statement(src string, d Dialect, start, end, index, selects int, pos *lineCounter, res *Result) {
	var lexErr *parseError
	// A tError token (an unterminated string, comment, ...) is always the
	// last token before tEOF, so only the statement's last token can be
	// one. It runs to the end of the script and is the statement's error;
	// the tokens before it are still parsed.
	if t := x.toks[end-1]; t.kind == tError {
		lexErr = &parseError{offset: t.start, reason: lexErrText[t.kw]}
		end--
	}
	// The parser sees the statement's tokens and, in place of the ';' (or
	// on the final tEOF, or the tError), an end marker at the statement's
	// end.
	stmtEnd := x.toks[end].start
	x.toks[end] = token{kind: tEOF, cls: clsEnd | clsStmtEnd, start: stmtEnd, end: stmtEnd}
	x.p.reset(src, x.toks[start:end+1], d, selects)
	s := x.p.parseStatement()
	perr := x.p.err
	if lexErr != nil {
		perr = lexErr
	}
	var e stmtEffect
	x.r.resolveStatement(s, &e)
	if perr != nil {
		line, col := pos.at(src, perr.offset)
		res.Errors = append(res.Errors, StatementError{
			Index: index, Offset: perr.offset, Line: line, Column: col, Reason: perr.reason,
			Partial: e.reads.to > e.reads.from || e.writes.to > e.writes.from,
		})
	}
	if s.temporary && s.object.name != "" {
		if x.r.sessions == nil {
			x.r.sessions = map[string]bool{}
		}
		x.r.sessions[s.object.name] = true
		if s.global && s.object.parts == 1 {
			// Spark keeps a global temporary view in the schema global_temp, where later statements name
			// it. (Spark reads the bare name as another object; a script that uses it means the view.)
			x.r.sessions["global_temp."+s.object.name] = true
		}
	}
	x.stmt = append(x.stmt, e)
	if x.cols != nil && perr == nil {
		x.cols.statement(src, d, x.toks[start:end+1], index)
	}
}

// finish removes temporary tables (created, then dropped later) and builds
// the sorted name sets.
func (x *extractor) finish(res *Result) {
	var temp map[string]bool
	for i, e := range x.stmt {
		if e.dropped == "" {
			continue
		}
		// Dropped after its last CREATE means temporary.
		for j := i - 1; j >= 0; j-- {
			if x.stmt[j].created == e.dropped {
				if temp == nil {
					temp = map[string]bool{}
				}
				temp[e.dropped] = true
				break
			}
		}
	}
	// A table created again after its drop survives the run.
	for name := range temp {
		for i := len(x.stmt) - 1; i >= 0; i-- {
			if x.stmt[i].dropped == name {
				break
			}
			if x.stmt[i].created == name {
				delete(temp, name)
				break
			}
		}
	}
	nIn, nOut := 0, 0
	for _, e := range x.stmt {
		nIn += e.reads.to - e.reads.from
		nOut += e.writes.to - e.writes.from
	}
	res.Inputs = make([]string, 0, nIn)
	res.Outputs = make([]string, 0, nOut)
	for _, e := range x.stmt {
		for _, n := range x.r.names[e.reads.from:e.reads.to] {
			if !temp[n] {
				res.Inputs = append(res.Inputs, n)
			}
		}
		for _, n := range x.r.names[e.writes.from:e.writes.to] {
			if !temp[n] {
				res.Outputs = append(res.Outputs, n)
			}
		}
	}
	res.Inputs = sortedSet(res.Inputs)
	res.Outputs = sortedSet(res.Outputs)
}

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// lineCounter turns increasing byte offsets into line and column numbers
// without rescanning the script.
type lineCounter struct {
	off, line, lineStart int
}

func (c *lineCounter) at(src string, off int) (line, col int) {
	if c.line == 0 || off < c.off {
		*c = lineCounter{line: 1}
	}
	if off > len(src) {
		off = len(src)
	}
	for i := c.off; i < off; i++ {
		if src[i] == '\n' {
			c.line++
			c.lineStart = i + 1
		}
	}
	c.off = off
	return c.line, off - c.lineStart + 1
}
