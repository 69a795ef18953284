package lineage

import "strings"

// resolver collects the tables a statement reads.
type resolver struct {
	sessions map[string]bool
	// forward is Hive's scoping of WITH: a CTE body sees every entry of its WITH, those after it too
	// ("with q1 as (select ... from q2), q2 as (...)" reads no table q2), where SQL and Spark see only the
	// entries before it.
	forward bool
	// scope holds the CTE names visible at the point being resolved,
	// innermost last. The walk is depth-first, so a query pushes its WITH
	// names and pops them when done; a slice reused across statements
	// replaces a linked chain of heap-allocated scopes.
	scope []string
	names []string // reads are appended here
}

// inScope reports whether name is a CTE visible at this point.
func (r *resolver) inScope(name string) bool {
	for i := len(r.scope) - 1; i >= 0; i-- {
		if r.scope[i] == name {
			return true
		}
	}
	return false
}

// resolveStatement appends the tables s reads and writes to r.names and
// records their ranges, and what s creates or drops, in e.
func (r *resolver) resolveStatement(s *statement, e *stmtEffect) {
	r.scope = r.scope[:0]
	e.reads.from = len(r.names)
	r.withScope(s.with, s.recursive)
	for _, b := range s.blocks {
		r.block(b)
	}
	for _, q := range s.queries {
		r.query(q)
	}
	e.reads.to = len(r.names)
	e.writes.from = len(r.names)
	// Only statements that write hold targets, whatever their kind: an
	// INSERT target recovered after a failure counts too.
	for _, t := range s.targets {
		// A session object is no table: writing it is no output, as reading it is no input.
		if !r.sessions[t.name] && !isPathTable(t) {
			r.names = append(r.names, t.name)
		}
	}
	switch s.kind {
	case stmtCTAS, stmtCreateView:
		if !s.temporary && s.object.name != "" {
			r.names = append(r.names, s.object.name)
			e.created = s.object.name
		}
	case stmtAlterView:
		if s.object.name != "" && !r.sessions[s.object.name] {
			r.names = append(r.names, s.object.name)
		}
	case stmtCreateTable:
		if !s.temporary {
			e.created = s.object.name
		}
	case stmtDrop:
		e.dropped = s.object.name
	}
	e.writes.to = len(r.names)
}

// withScope resolves CTE bodies in order and pushes their names: each body
// sees the entries before it, and itself when the WITH is RECURSIVE; in Hive
// (forward) every other entry.
func (r *resolver) withScope(ctes []cte, recursive bool) {
	if r.forward && !recursive && len(ctes) > 1 {
		base := len(r.scope)
		for i := range ctes {
			r.scope = r.scope[:base]
			for j := range ctes {
				if j != i {
					r.scope = append(r.scope, ctes[j].name)
				}
			}
			r.query(ctes[i].query)
		}
		r.scope = r.scope[:base]
		for i := range ctes {
			r.scope = append(r.scope, ctes[i].name)
		}
		return
	}
	for i := range ctes {
		c := &ctes[i]
		if recursive {
			r.scope = append(r.scope, c.name)
			r.query(c.query)
			continue
		}
		r.query(c.query)
		r.scope = append(r.scope, c.name)
	}
}

func (r *resolver) query(q *query) {
	if q == nil {
		return
	}
	depth := len(r.scope)
	r.withScope(q.with, q.recursive)
	for _, b := range q.blocks {
		r.block(b)
	}
	r.scope = r.scope[:depth]
}

func (r *resolver) block(b *selectBlock) {
	for i := range b.sources {
		src := &b.sources[i]
		switch src.kind {
		case srcTable:
			n := &src.table
			if n.name == "" || (n.parts == 1 && r.inScope(n.name)) || r.sessions[n.name] || isPathTable(*n) {
				continue
			}
			r.names = append(r.names, n.name)
		case srcDerived:
			r.query(src.query)
		}
	}
	for _, q := range b.subqueries {
		r.query(q)
	}
	r.query(b.nested)
}

// isPathTable reports whether n is Spark's file source, format.`path` (parquet.`/data/x`, delta.`s3://b/t`): files
// read or written where they lie, as INSERT OVERWRITE DIRECTORY writes them, and no table.
func isPathTable(n tableName) bool {
	if n.parts != 2 || n.name[0] > 't' || n.name[0] < 'a' { // the formats' initials: a to t
		return false
	}
	format, path, _ := strings.Cut(n.name, ".")
	switch format {
	case "parquet", "orc", "json", "csv", "text", "avro", "delta", "binaryfile", "iceberg", "hudi":
		return strings.ContainsAny(path, "/:")
	}
	return false
}
