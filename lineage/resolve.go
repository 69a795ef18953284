package lineage

// scope is the chain of CTE names visible to a query.
type scope struct {
	name   string
	parent *scope
}

func (s *scope) has(name string) bool {
	for ; s != nil; s = s.parent {
		if s.name == name {
			return true
		}
	}
	return false
}

// resolver collects the tables a statement reads.
type resolver struct {
	sessions map[string]bool
	reads    []string
}

// resolveStatement records the tables s reads and writes into e.
func resolveStatement(s *statement, sessions map[string]bool, e *stmtEffect) {
	r := resolver{sessions: sessions}
	sc := r.withScope(s.with, false, nil)
	for _, b := range s.blocks {
		r.block(b, sc)
	}
	for _, q := range s.queries {
		r.query(q, sc)
	}
	e.reads = r.reads
	switch s.kind {
	case stmtInsert, stmtMerge, stmtUpdate, stmtDelete, stmtLoad, stmtClone:
		for _, t := range s.targets {
			e.writes = append(e.writes, t.name)
		}
	case stmtCTAS, stmtCreateView:
		if !s.temporary {
			e.writes = append(e.writes, s.object.name)
			e.created = s.object.name
		}
	case stmtCreateTable:
		if !s.temporary {
			e.created = s.object.name
		}
	case stmtDrop:
		e.dropped = s.object.name
	}
}

// withScope resolves CTE bodies in order and returns the scope they open.
func (r *resolver) withScope(ctes []*cte, recursive bool, sc *scope) *scope {
	for _, c := range ctes {
		inner := sc
		if recursive {
			inner = &scope{name: c.name, parent: sc}
		}
		r.query(c.query, inner)
		sc = &scope{name: c.name, parent: sc}
	}
	return sc
}

func (r *resolver) query(q *query, sc *scope) {
	if q == nil {
		return
	}
	sc = r.withScope(q.with, q.recursive, sc)
	for _, b := range q.blocks {
		r.block(b, sc)
	}
}

func (r *resolver) block(b *selectBlock, sc *scope) {
	for _, src := range b.sources {
		switch src.kind {
		case srcTable:
			n := src.table
			if n.name == "" || (n.parts == 1 && sc.has(n.name)) || r.sessions[n.name] {
				continue
			}
			r.reads = append(r.reads, n.name)
		case srcDerived:
			r.query(src.query, sc)
		}
	}
	for _, q := range b.subqueries {
		r.query(q, sc)
	}
	r.query(b.nested, sc)
}
