package mcsql

import (
	"strconv"
	"strings"
)

// createTable parses what follows CREATE [EXTERNAL] TABLE.
func (p *parser) createTable() Statement {
	ct := &CreateTable{Node: p.node}
	ct.IfNotExists = p.ifNotExists()
	ct.Name = p.name("a table name")
	t := p.peek()
	switch {
	case p.isKw(t, "LIKE"):
		p.i++
		like := p.name("a table name")
		ct.Like = &like
		if p.acceptKw("LIFECYCLE") {
			n := p.integer("a number of days")
			ct.Lifecycle = &n
		}
		p.end()
		return ct
	case p.isPunct(t, '('):
		ct.Columns = p.columnList(colTable)
	case p.isKw(t, "AS"):
		p.refuseCTAS(t)
	case !tableClause[p.upper(t)]:
		p.unexpected(t, `"(", LIKE or AS`)
	}
	p.tableClauses(ct)
	if ct.Columns == nil {
		// Clauses without a column list can only lead to AS SELECT, and there was none.
		p.unexpected(p.peek(), "AS")
	}
	return ct
}

func (p *parser) refuseCTAS(as token) {
	p.refuseAt(as, "CREATE TABLE ... AS SELECT writes data: Sluice keeps metadata and does not run queries")
}

// tableClause are the words that start a clause after CREATE TABLE's column list.
var tableClause = map[string]bool{
	"COMMENT": true, "PARTITIONED": true, "CLUSTERED": true, "RANGE": true, "SORTED": true, "INTO": true,
	"STORED": true, "ROW": true, "WITH": true, "LOCATION": true, "USING": true, "TBLPROPERTIES": true,
	"LIFECYCLE": true,
}

// tableClauses parses the clauses after CREATE TABLE's column list, in any order: MaxCompute documents
// one order, but its parser and Hive's accept others, and scripts are written against both. Clauses that
// only concern storage are checked for shape and ignored.
func (p *parser) tableClauses(ct *CreateTable) {
	for {
		t := p.peek()
		if isEnd(t) {
			return
		}
		switch p.upper(t) {
		case "COMMENT":
			if ct.Comment != nil {
				p.duplicate(t)
			}
			p.i++
			c := p.str("a comment string")
			ct.Comment = &c
		case "PARTITIONED":
			if ct.Partitions != nil {
				p.duplicate(t)
			}
			p.i++
			p.expectKw("BY")
			ct.Partitions = p.columnList(colPartition)
		case "LIFECYCLE":
			if ct.Lifecycle != nil {
				p.duplicate(t)
			}
			p.i++
			n := p.integer("a number of days")
			ct.Lifecycle = &n
		case "RANGE":
			p.i++
			p.expectKw("CLUSTERED")
			p.expectKw("BY")
			p.skipParens()
		case "CLUSTERED", "SORTED":
			p.i++
			p.expectKw("BY")
			p.skipParens()
		case "INTO":
			p.i++
			p.integer("a number of buckets")
			p.expectKw("BUCKETS")
		case "STORED":
			p.i++
			switch {
			case p.acceptKw("BY"):
				p.str("a storage handler class string")
			case p.acceptKw("AS"):
				if p.acceptKw("INPUTFORMAT") {
					p.str("an input format class string")
					p.expectKw("OUTPUTFORMAT")
					p.str("an output format class string")
				} else {
					p.ident("a file format")
				}
			default:
				p.unexpected(p.peek(), "BY or AS")
			}
		case "ROW":
			p.i++
			p.expectKw("FORMAT")
			p.rowFormat()
		case "WITH":
			p.i++
			p.expectKw("SERDEPROPERTIES")
			p.skipParens()
		case "LOCATION":
			p.i++
			p.str("a location string")
		case "USING":
			// The resources holding an external table's storage handler.
			p.i++
			for {
				p.str("a resource list string")
				if !p.acceptPunct(',') {
					break
				}
			}
		case "TBLPROPERTIES":
			p.i++
			p.skipParens()
		case "AS":
			p.refuseCTAS(t)
		default:
			p.unexpected(t, "COMMENT, PARTITIONED BY, CLUSTERED BY, STORED AS, TBLPROPERTIES, LIFECYCLE, AS or end of statement")
		}
	}
}

func (p *parser) duplicate(t token) {
	p.fail(t, false, "syntax error: duplicate "+strings.ToUpper(p.text(t)))
}

// rowFormat parses what follows ROW FORMAT: SERDE 'class', or DELIMITED and its terminators.
func (p *parser) rowFormat() {
	if p.acceptKw("SERDE") {
		p.str("a serde class string")
		return
	}
	p.expectKw("DELIMITED")
	terminated := func() {
		p.expectKw("TERMINATED")
		p.expectKw("BY")
		p.str("a terminator string")
	}
	for {
		switch p.upper(p.peek()) {
		case "FIELDS":
			p.i++
			terminated()
			if p.acceptKw("ESCAPED") {
				p.expectKw("BY")
				p.str("an escape string")
			}
		case "COLLECTION":
			p.i++
			p.expectKw("ITEMS")
			terminated()
		case "MAP":
			p.i++
			p.expectKw("KEYS")
			terminated()
		case "LINES":
			p.i++
			terminated()
		case "NULL":
			p.i++
			p.expectKw("DEFINED")
			p.expectKw("AS")
			p.str("a null marker string")
		default:
			return
		}
	}
}

// colKind says what a column list declares.
type colKind uint8

const (
	colTable     colKind = iota // name type [NOT NULL] [DEFAULT value] [COMMENT 'c'], and PRIMARY KEY (...)
	colPartition                // name type [COMMENT 'c']
	colView                     // name [COMMENT 'c']
)

// columnList parses a parenthesised list of columns.
func (p *parser) columnList(kind colKind) []ColumnDef {
	p.expectPunct('(')
	cols := []ColumnDef{}
	for {
		if kind == colTable && p.isKw(p.peek(), "PRIMARY") && p.isKw(p.peekAt(1), "KEY") {
			// A table constraint: the core keeps no keys.
			p.i += 2
			p.skipParens()
		} else {
			cols = append(cols, p.columnDef(kind))
		}
		if !p.acceptPunct(',') {
			break
		}
	}
	if t := p.peek(); len(cols) == 0 && p.isPunct(t, ')') {
		p.fail(t, false, "syntax error: a table needs at least one column")
	}
	p.expectPunct(')')
	return cols
}

// columnDef parses one column; the modifiers of a table column come in any order.
func (p *parser) columnDef(kind colKind) ColumnDef {
	c := ColumnDef{Name: p.ident("a column name")}
	if kind != colView {
		c.Type = p.colTypeString()
	}
	commented := false
	for {
		t := p.peek()
		kw := p.upper(t)
		switch {
		case kw == "COMMENT":
			if commented {
				p.duplicate(t)
			}
			p.i++
			c.Comment = p.str("a comment string")
			commented = true
		case kind != colTable:
			return c
		case kw == "NOT":
			p.i++
			p.expectKw("NULL")
		case kw == "NULL":
			p.i++
		case kw == "DEFAULT":
			p.i++
			p.defaultValue()
		case kw == "PRIMARY" && p.isKw(p.peekAt(1), "KEY"):
			p.i += 2
		default:
			return c
		}
	}
}

// defaultValue skips a column's default: a literal (-1, 'x', TRUE, NULL, DATE '2024-01-01') or a call
// (CURRENT_TIMESTAMP(), GETDATE()). The core keeps no defaults.
func (p *parser) defaultValue() {
	t := p.peek()
	switch {
	case t.kind == tString || t.kind == tNumber:
		p.i++
	case p.isPunct(t, '-') || p.isPunct(t, '+'):
		p.i++
		if n := p.peek(); n.kind != tNumber {
			p.unexpected(n, "a number")
		}
		p.i++
	case p.isPunct(t, '('):
		p.skipParens()
	case t.kind == tWord:
		p.i++
		switch n := p.peek(); {
		case n.kind == tString:
			p.i++
		case p.isPunct(n, '('):
			p.skipParens()
		}
	default:
		p.unexpected(t, "a default value")
	}
}

// maxTypeDepth bounds the nesting of array, map and struct types, so that no script can exhaust the
// stack of the recursive descent.
const maxTypeDepth = 100

// primitiveTypes maps MaxCompute's types without parameters, in upper case, to their normal form.
var primitiveTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range strings.Fields("tinyint smallint int bigint float double string date datetime timestamp " +
		"timestamp_ntz boolean binary json interval_day_time interval_year_month") {
		m[strings.ToUpper(t)] = t
	}
	return m
}()

// colTypeString parses a column type and returns its normal form.
func (p *parser) colTypeString() string {
	// Most columns have a primitive type, whose normal form needs no building.
	if t, ok := primitiveTypes[p.upper(p.peek())]; ok {
		p.i++
		return t
	}
	var b strings.Builder
	b.Grow(32)
	p.colType(&b, 0)
	return b.String()
}

// colType parses a column type and writes its normal form to b: lower case, no spaces,
// e.g. decimal(10,2), map<string,array<bigint>>, struct<a:int,b:string>.
func (p *parser) colType(b *strings.Builder, depth int) {
	t := p.peek()
	if t.kind != tWord {
		p.unexpected(t, "a column type")
	}
	if depth >= maxTypeDepth {
		p.fail(t, false, "syntax error: types nested more than "+strconv.Itoa(maxTypeDepth)+" deep")
	}
	kw := p.upper(t)
	p.i++
	switch kw {
	case "DECIMAL":
		b.WriteString("decimal")
		if p.acceptPunct('(') {
			// MaxCompute's limits: precision 1 to 38, scale 0 to 18 and at most the precision.
			prec := p.integerIn(1, 38, "decimal precision")
			b.WriteString("(" + strconv.Itoa(prec))
			if p.acceptPunct(',') {
				scale := p.integerIn(0, min(18, prec), "decimal scale")
				b.WriteString("," + strconv.Itoa(scale))
			}
			p.expectPunct(')')
			b.WriteByte(')')
		}
	case "VARCHAR", "CHAR":
		limit := 65535
		if kw == "CHAR" {
			limit = 255
		}
		p.expectPunct('(')
		n := p.integerIn(1, limit, strings.ToLower(kw)+" length")
		p.expectPunct(')')
		b.WriteString(strings.ToLower(kw) + "(" + strconv.Itoa(n) + ")")
	case "INTERVAL":
		// The SQL spelling of MaxCompute's two interval types.
		switch {
		case p.acceptKw("DAY"):
			p.expectKw("TO")
			p.expectKw("SECOND")
			b.WriteString("interval_day_time")
		case p.acceptKw("YEAR"):
			p.expectKw("TO")
			p.expectKw("MONTH")
			b.WriteString("interval_year_month")
		default:
			p.unexpected(p.peek(), "DAY TO SECOND or YEAR TO MONTH")
		}
	case "ARRAY":
		p.expectPunct('<')
		b.WriteString("array<")
		p.colType(b, depth+1)
		p.expectPunct('>')
		b.WriteByte('>')
	case "MAP":
		p.expectPunct('<')
		b.WriteString("map<")
		p.colType(b, depth+1)
		p.expectPunct(',')
		b.WriteByte(',')
		p.colType(b, depth+1)
		p.expectPunct('>')
		b.WriteByte('>')
	case "STRUCT":
		p.expectPunct('<')
		b.WriteString("struct<")
		for {
			b.WriteString(fieldName(p.ident("a field name")))
			p.expectPunct(':')
			b.WriteByte(':')
			p.colType(b, depth+1)
			if p.acceptKw("COMMENT") {
				// A field's comment has no place in the type string.
				p.str("a comment string")
			}
			if !p.acceptPunct(',') {
				break
			}
			b.WriteByte(',')
		}
		p.expectPunct('>')
		b.WriteByte('>')
	default:
		name, ok := primitiveTypes[kw]
		if !ok {
			p.fail(t, false, "syntax error: unknown type "+p.tokName(t))
		}
		b.WriteString(name)
	}
}

// fieldName is a struct field's name in a type string: lower case (MaxCompute's names are not case
// sensitive), backquoted when it is not a plain identifier, so the type string stays unambiguous.
func fieldName(s string) string {
	s = strings.ToLower(s)
	plain := s != "" && !(s[0] >= '0' && s[0] <= '9')
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if plain {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// integerIn parses an integer literal in [lo, hi].
func (p *parser) integerIn(lo, hi int, what string) int {
	t := p.peek()
	n := p.integer("a " + what)
	if n < lo || n > hi {
		p.fail(t, false, "syntax error: "+what+" "+p.text(t)+" out of range "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n
}

// createView parses what follows CREATE [OR REPLACE] VIEW.
func (p *parser) createView(orReplace bool) Statement {
	v := &CreateView{Node: p.node, OrReplace: orReplace}
	v.IfNotExists = p.ifNotExists()
	v.Name = p.name("a view name")
	if p.isPunct(p.peek(), '(') {
		v.Columns = p.columnList(colView)
	}
	if p.acceptKw("COMMENT") {
		c := p.str("a comment string")
		v.Comment = &c
	}
	p.expectKw("AS")
	t := p.peek()
	switch p.upper(t) {
	case "SELECT", "WITH", "VALUES", "FROM":
	default:
		if !p.isPunct(t, '(') {
			p.unexpected(t, "a query (SELECT, WITH, VALUES or FROM)")
		}
	}
	v.Query = p.rest()
	return v
}

// createFunction parses what follows CREATE FUNCTION.
func (p *parser) createFunction() Statement {
	f := &CreateFunction{Node: p.node}
	f.Name = p.name("a function name")
	if p.isPunct(p.peek(), '(') {
		p.refuseUnsupported("CREATE FUNCTION name(...) (an SQL function)",
			"Sluice registers functions implemented by a class in resources: CREATE FUNCTION name AS 'class' USING 'resources'")
	}
	p.expectKw("AS")
	f.Class = p.str("a class name string")
	p.expectKw("USING")
	for {
		for r := range strings.SplitSeq(p.str("a resource list string"), ",") {
			if r = strings.TrimSpace(r); r != "" {
				f.Resources = append(f.Resources, r)
			}
		}
		if !p.acceptPunct(',') {
			break
		}
	}
	p.end()
	return f
}

// alter parses ALTER TABLE and ALTER VIEW.
func (p *parser) alter() Statement {
	p.i++
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "TABLE", "VIEW":
	case "MATERIALIZED", "SCHEMA", "ROLE", "PROJECT", "USER", "RESOURCE", "FUNCTION", "PACKAGE", "OFFLINEMODEL",
		"CONNECTION", "EXTERNALPROJECT":
		p.refuseUnsupported("ALTER "+kw, "")
	default:
		p.unexpected(t, "TABLE or VIEW")
	}
	p.i++
	a := &AlterTable{Node: p.node, View: kw == "VIEW"}
	a.Name = p.name("a " + strings.ToLower(kw) + " name")
	p.alterAction(a, "ALTER "+kw+" ... ")
	p.end()
	return a
}

// partitionClauses are the ALTER TABLE clauses that act on partitions or stored data.
var partitionClauses = map[string]bool{
	"PARTITION": true, "TOUCH": true, "MERGE": true, "COMPACT": true, "ARCHIVE": true, "UNARCHIVE": true,
	"FREEZE": true, "RESTORE": true,
}

// alterAction parses the one change of an ALTER TABLE; what starts refusal messages.
func (p *parser) alterAction(a *AlterTable, what string) {
	t := p.peek()
	act := p.upper(t)
	switch act {
	case "ADD":
		p.i++
		switch {
		case p.acceptKw("COLUMNS"):
			a.IfNotExists = p.ifNotExists()
			a.AddColumns = p.columnList(colTable)
			return
		case p.acceptKw("COLUMN"):
			// One column without parentheses, as Hive and newer MaxCompute write it.
			a.IfNotExists = p.ifNotExists()
			a.AddColumns = []ColumnDef{p.columnDef(colTable)}
			return
		}
		p.ifNotExists()
		if p.isKw(p.peek(), "PARTITION") {
			p.refusePartition(t, what+"ADD PARTITION")
		}
		p.unexpected(p.peek(), "COLUMNS or PARTITION")
	case "DROP":
		p.i++
		if p.acceptKw("COLUMNS") || p.acceptKw("COLUMN") {
			for {
				a.DropColumns = append(a.DropColumns, p.ident("a column name"))
				if !p.acceptPunct(',') {
					return
				}
			}
		}
		p.ifExists()
		if p.isKw(p.peek(), "PARTITION") {
			p.refusePartition(t, what+"DROP PARTITION")
		}
		p.unexpected(p.peek(), "COLUMNS or PARTITION")
	case "SET":
		p.i++
		s := p.peek()
		switch p.upper(s) {
		case "COMMENT":
			p.i++
			c := p.str("a comment string")
			a.Comment = &c
			return
		case "LIFECYCLE":
			p.i++
			n := p.integer("a number of days")
			a.Lifecycle = &n
			return
		}
		if s.kind == tWord {
			p.refuseAlter(t, what+"SET "+p.upper(s))
		}
		p.unexpected(s, "COMMENT or LIFECYCLE")
	case "RENAME":
		p.i++
		p.expectKw("TO")
		n := p.name("a new name")
		a.RenameTo = &n
		return
	case "CHANGE":
		p.i++
		if p.isKw(p.peek(), "OWNER") && p.isKw(p.peekAt(1), "TO") {
			p.refuseUnsupported(what+"CHANGE OWNER", "")
		}
		p.acceptKw("COLUMN")
		col := p.ident("a column name")
		s := p.peek()
		switch p.upper(s) {
		case "COMMENT":
			p.i++
			a.ColumnComment = &ColumnDef{Name: col, Comment: p.str("a comment string")}
			return
		case "RENAME":
			p.i++
			p.expectKw("TO")
			a.RenameColumn = &[2]string{col, p.ident("a column name")}
			return
		}
		if s.kind == tWord || s.kind == tQuoted {
			p.refuseAt(t, what+"CHANGE COLUMN old new type is not supported: Sluice changes a column's comment "+
				"(CHANGE COLUMN c COMMENT '...') or its name (CHANGE COLUMN old RENAME TO new)")
		}
		p.unexpected(s, "COMMENT or RENAME TO")
	case "AS":
		p.refuseAt(t, what+"AS is not supported: replace the view with CREATE OR REPLACE VIEW")
	}
	if partitionClauses[act] {
		p.refusePartition(t, what+act)
	}
	if t.kind == tWord {
		p.refuseAlter(t, what+act)
	}
	p.unexpected(t, "ADD COLUMNS, DROP COLUMNS, SET COMMENT, SET LIFECYCLE, RENAME TO or CHANGE COLUMN")
}

func (p *parser) refusePartition(t token, what string) {
	p.refuseAt(t, what+" is not supported: Sluice keeps no partition data")
}

func (p *parser) refuseAlter(t token, what string) {
	p.refuseAt(t, what+" is not supported: Sluice adds, drops, renames and comments columns, and sets "+
		"comments, lifecycles and names")
}
