package mcsql

import "strings"

// dataStatements are the first words of statements that read or write data (queries, DML, loads and
// copies, odpscmd's tunnel and read commands). They are refused on sight, whatever follows.
var dataStatements = map[string]bool{
	"SELECT": true, "WITH": true, "FROM": true, "VALUES": true, "MAP": true, "REDUCE": true,
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "UPSERT": true, "TRUNCATE": true,
	"LOAD": true, "UNLOAD": true, "COPY": true, "CLONE": true, "READ": true, "TUNNEL": true,
	"ANALYZE": true, "COUNT": true,
}

// otherStatements are the first words of MaxCompute and odpscmd statements that are not about metadata
// Sluice keeps: permissions, sessions, instances, scripting. They are refused as not supported; any
// other first word is a syntax error.
var otherStatements = map[string]string{
	"GRANT": "", "REVOKE": "", "USE": "", "WHOAMI": "", "SETPROJECT": "", "CHECKPERMISSION": "",
	"KILL": "", "WAIT": "", "STATUS": "", "TOP": "", "PURGE": "", "RESTORE": "", "UNDO": "", "FREEZE": "",
	"MSCK":   "Sluice keeps no partition data",
	"EXPORT": "", "IMPORT": "", "GET": "", "PUT": "", "ALIAS": "", "CALL": "", "EXECUTE": "",
	"DECLARE": "", "IF": "", "BEGIN": "", "LOOP": "",
	"EXPLAIN": "Sluice keeps metadata and does not run queries",
	"COST":    "Sluice keeps metadata and does not run queries",
}

// dispatch parses one statement, chosen by its first word.
func (p *parser) dispatch() Statement {
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "CREATE":
		return p.create()
	case "DROP":
		return p.drop()
	case "DELETE":
		if p.isKw(p.peekAt(1), "PACKAGE") {
			p.i += 2
			return p.dropPackage()
		}
	case "ALTER":
		return p.alter()
	case "SET":
		return p.set()
	case "SHOW":
		p.i++
		return p.show("SHOW")
	case "LIST":
		// odpscmd's own spelling of SHOW RESOURCES and SHOW FUNCTIONS.
		if w := p.upper(p.peekAt(1)); w == "RESOURCES" || w == "FUNCTIONS" {
			p.i++
			return p.show("LIST")
		}
		p.refuseUnsupported(strings.TrimSpace("LIST "+p.upper(p.peekAt(1))), "")
	case "DESC", "DESCRIBE":
		return p.describe()
	case "ADD":
		return p.addToPackage()
	case "REMOVE":
		return p.removeFromPackage()
	case "ALLOW":
		return p.allowProject()
	case "DISALLOW":
		return p.disallowProject()
	case "INSTALL":
		p.i++
		p.expectKw("PACKAGE")
		src, pkg := p.packageRef()
		return &InstallPackage{Node: p.node, SourceProject: src, Package: pkg}
	case "UNINSTALL":
		p.i++
		p.expectKw("PACKAGE")
		src, pkg := p.packageRef()
		return &UninstallPackage{Node: p.node, SourceProject: src, Package: pkg}
	}
	if dataStatements[kw] {
		p.refuseData(kw)
	}
	if why, ok := otherStatements[kw]; ok {
		p.refuseUnsupported(kw, why)
	}
	switch {
	case p.isPunct(t, '@'):
		p.refuseData("An @variable assignment")
	case p.isPunct(t, '('):
		p.refuseData("A query")
	}
	p.unexpected(t, "a statement")
	return nil
}

// create parses CREATE ...
func (p *parser) create() Statement {
	p.i++
	orReplace := false
	if p.acceptKw("OR") {
		p.expectKw("REPLACE")
		orReplace = true
	}
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "MATERIALIZED":
		p.refuseData("CREATE MATERIALIZED VIEW")
	case "TEMPORARY", "SQL", "ROLE", "SCHEMA", "DATABASE", "RESOURCE", "USER", "OFFLINEMODEL", "CONNECTION",
		"EXTERNALPROJECT", "PROJECT":
		p.refuseUnsupported("CREATE "+kw, "")
	}
	if orReplace && kw != "VIEW" {
		p.unexpected(t, "VIEW")
	}
	switch kw {
	case "TABLE":
		p.i++
		return p.createTable()
	case "EXTERNAL":
		p.i++
		p.expectKw("TABLE")
		return p.createTable()
	case "VIEW":
		p.i++
		return p.createView(orReplace)
	case "FUNCTION":
		p.i++
		return p.createFunction()
	case "PACKAGE":
		p.i++
		name := p.simpleName("a package name")
		p.end()
		return &CreatePackage{Node: p.node, Name: name}
	}
	p.unexpected(t, "TABLE, EXTERNAL TABLE, VIEW, FUNCTION or PACKAGE")
	return nil
}

// drop parses DROP ...
func (p *parser) drop() Statement {
	p.i++
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "TABLE", "VIEW":
		p.i++
		d := &DropTable{Node: p.node, View: kw == "VIEW"}
		d.IfExists = p.ifExists()
		d.Name = p.name("a " + strings.ToLower(kw) + " name")
		p.end()
		return d
	case "FUNCTION":
		p.i++
		d := &DropFunction{Node: p.node}
		d.IfExists = p.ifExists()
		d.Name = p.name("a function name")
		p.end()
		return d
	case "PACKAGE":
		p.i++
		return p.dropPackage()
	case "MATERIALIZED", "ROLE", "SCHEMA", "DATABASE", "RESOURCE", "USER", "OFFLINEMODEL", "CONNECTION",
		"EXTERNALPROJECT", "PROJECT", "TEMPORARY":
		p.refuseUnsupported("DROP "+kw, "")
	}
	p.unexpected(t, "TABLE, VIEW, FUNCTION or PACKAGE")
	return nil
}

// dropPackage parses the name after DROP PACKAGE or DELETE PACKAGE.
func (p *parser) dropPackage() Statement {
	name := p.simpleName("a package name")
	p.end()
	return &DropPackage{Node: p.node, Name: name}
}

// set parses SET LABEL n TO TABLE name [(col, ...)] and SET key=value.
func (p *parser) set() Statement {
	p.i++
	// SET LABEL is the label statement unless LABEL is the (start of the) name of a flag.
	if next := p.peekAt(1); p.isKw(p.peek(), "LABEL") && !p.isPunct(next, '=') && !p.isPunct(next, '.') {
		p.i++
		return p.setLabel()
	}
	t := p.peek()
	if t.kind != tWord {
		p.unexpected(t, "LABEL or a flag name")
	}
	// A key is written without spaces: odps.sql.type.system.odps2.
	start, end := t.start, t.end
	p.i++
	for t = p.peek(); t.start == end && (t.kind == tWord || t.kind == tNumber || p.isPunct(t, '.')); t = p.peek() {
		end = t.end
		p.i++
	}
	if p.src[end-1] == '.' {
		p.unexpected(t, "the rest of the flag name")
	}
	p.expectPunct('=')
	return &SetFlag{Node: p.node, Key: p.src[start:end], Value: p.rest()}
}

func (p *parser) setLabel() Statement {
	s := &SetLabel{Node: p.node}
	s.Label = p.integer("a label number")
	p.expectKw("TO")
	t := p.peek()
	switch p.upper(t) {
	case "TABLE":
		p.i++
	case "USER", "ROLE":
		p.refuseUnsupported("SET LABEL ... TO "+p.upper(t), "Sluice labels tables and their columns")
	default:
		p.unexpected(t, "TABLE")
	}
	s.Table = p.name("a table name")
	if p.acceptPunct('(') {
		for {
			s.Columns = append(s.Columns, p.ident("a column name"))
			if !p.acceptPunct(',') {
				break
			}
		}
		p.expectPunct(')')
	}
	p.end()
	return s
}

// showUnsupported are the SHOW forms of MaxCompute that Sluice refuses.
var showUnsupported = map[string]string{
	"PARTITIONS": "Sluice keeps no partition data",
	"CREATE":     "", "GRANTS": "", "ACL": "", "INSTANCES": "", "P": "", "ROLES": "", "ROLE": "", "SCHEMAS": "",
	"LABEL": "", "SECURITY": "", "PRINCIPALS": "", "USERS": "", "FLAGS": "", "MATERIALIZED": "",
	"EXTERNAL": "", "OFFLINEMODELS": "", "CONNECTIONS": "", "CATALOGS": "", "PROJECTS": "", "HISTORY": "",
	"TABLE": "", "STATS": "", "JOBS": "",
}

// show parses the rest of SHOW (or odpscmd's LIST) what [IN|FROM project] [LIKE 'pattern'].
func (p *parser) show(verb string) Statement {
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "TABLES", "VIEWS", "FUNCTIONS", "RESOURCES", "PACKAGES":
		p.i++
		s := &Show{Node: p.node, What: strings.ToLower(kw)}
		if p.acceptKw("IN") || p.acceptKw("FROM") {
			s.Project = p.simpleName("a project name")
		}
		if p.acceptKw("LIKE") {
			s.Like = p.str("a pattern string")
		}
		p.end()
		return s
	}
	if why, ok := showUnsupported[kw]; ok {
		p.refuseUnsupported(verb+" "+kw, why)
	}
	p.unexpected(t, "TABLES, VIEWS, FUNCTIONS, RESOURCES or PACKAGES")
	return nil
}

// objectFollows reports whether the token after the next one can start a name, so that the next word
// is a keyword (DESC FUNCTION f) and not itself the name (DESC function, DESC extended.t).
func (p *parser) objectFollows() bool {
	t := p.peekAt(1)
	return !isEnd(t) && !p.isPunct(t, '.')
}

// describe parses DESC[RIBE] [EXTENDED] [TABLE] name, DESC FUNCTION name, DESC RESOURCE name and
// DESC PACKAGE [project.]name.
func (p *parser) describe() Statement {
	p.i++
	d := &Describe{Node: p.node, What: "table"}
	if p.objectFollows() {
		t := p.peek()
		switch kw := p.upper(t); kw {
		case "FUNCTION":
			p.i++
			d.What = "function"
			d.Name = p.name("a function name")
			p.end()
			return d
		case "RESOURCE":
			p.i++
			d.What = "resource"
			d.Name = Name{Name: p.fileName("a resource name")}
			// Another project's resource is project:name, as MaxCompute writes it (a resource name is a
			// file name and may hold dots, so project.name would be ambiguous).
			if prj, name, ok := strings.Cut(d.Name.Name, ":"); ok && prj != "" && name != "" {
				d.Name = Name{Project: prj, Name: name}
			}
			p.end()
			return d
		case "PACKAGE":
			p.i++
			d.What = "package"
			first := p.ident("a package name")
			if p.acceptPunct('.') {
				d.Name = Name{Project: first, Name: p.simpleName("a package name")}
			} else {
				d.Name = Name{Name: first}
			}
			p.end()
			return d
		case "PROJECT", "INSTANCE", "ROLE", "SCHEMA", "USER", "MATERIALIZED", "OFFLINEMODEL", "CONNECTION":
			p.refuseUnsupported("DESCRIBE "+kw, "")
		case "EXTENDED":
			p.i++
			d.Extended = true
			if p.isKw(p.peek(), "TABLE") && p.objectFollows() {
				p.i++
			}
		case "TABLE":
			p.i++
		}
	}
	d.Name = p.name("a table name")
	if t := p.peek(); p.isKw(t, "PARTITION") {
		p.refuseAt(t, "DESCRIBE ... PARTITION is not supported: Sluice keeps no partition data")
	}
	p.end()
	return d
}

// Package statements (maxcompute-packages.md §7).

// packageObjectType parses the object type of ADD and REMOVE. verb is the statement's first word, for
// refusing odpscmd's other ADD and REMOVE commands.
func (p *parser) packageObjectType(verb string) string {
	t := p.peek()
	kw := p.upper(t)
	switch kw {
	case "TABLE", "RESOURCE", "FUNCTION", "INSTANCE":
		p.i++
		return strings.ToLower(kw)
	case "JAR", "FILE", "PY", "ARCHIVE":
		p.refuseUnsupported(verb+" "+kw, "resources are uploaded to Sluice's resource centre (sluice resource upload)")
	case "USER", "ROLE", "ACCOUNTPROVIDER", "TRUSTEDPROJECT", "SECURITYPOLICY":
		p.refuseUnsupported(verb+" "+kw, "")
	case "PROJECT", "VIEW":
		p.fail(t, false, "syntax error: a package holds TABLE (tables and views), RESOURCE, FUNCTION and INSTANCE objects")
	}
	p.unexpected(t, "TABLE, RESOURCE, FUNCTION or INSTANCE")
	return ""
}

// packageObject parses the object of ADD and REMOVE: * for every object of the type, a file name for a
// resource or an instance, otherwise a name.
func (p *parser) packageObject(typ string) Name {
	// A * is the wildcard unless it starts a longer name (a resource called *.jar).
	if t, next := p.peek(), p.peekAt(1); p.isPunct(t, '*') && (next.start != t.end || isEnd(next)) {
		p.i++
		return Name{Name: "*"}
	}
	switch typ {
	case "resource", "instance":
		return Name{Name: p.fileName("a " + typ + " name")}
	}
	return p.name("a " + typ + " name")
}

func (p *parser) addToPackage() Statement {
	p.i++
	a := &AddToPackage{Node: p.node}
	a.ObjectType = p.packageObjectType("ADD")
	a.Object = p.packageObject(a.ObjectType)
	p.expectKw("TO")
	p.expectKw("PACKAGE")
	a.Package = p.simpleName("a package name")
	if p.acceptKw("WITH") {
		p.expectKw("PRIVILEGES")
		for {
			a.Privileges = append(a.Privileges, p.ident("a privilege"))
			if !p.acceptPunct(',') {
				break
			}
		}
	}
	p.end()
	return a
}

func (p *parser) removeFromPackage() Statement {
	p.i++
	r := &RemoveFromPackage{Node: p.node}
	r.ObjectType = p.packageObjectType("REMOVE")
	r.Object = p.packageObject(r.ObjectType)
	p.expectKw("FROM")
	p.expectKw("PACKAGE")
	r.Package = p.simpleName("a package name")
	p.end()
	return r
}

// projectToInstall parses PROJECT prj TO INSTALL PACKAGE pkg, common to ALLOW and DISALLOW.
func (p *parser) projectToInstall() (project, pkg string) {
	p.i++
	p.expectKw("PROJECT")
	project = p.simpleName("a project name")
	p.expectKw("TO")
	p.expectKw("INSTALL")
	p.expectKw("PACKAGE")
	pkg = p.simpleName("a package name")
	return project, pkg
}

func (p *parser) allowProject() Statement {
	a := &AllowProject{Node: p.node}
	a.Project, a.Package = p.projectToInstall()
	if p.acceptKw("USING") {
		p.expectKw("LABEL")
		n := p.integer("a label number")
		a.Label = &n
	}
	p.end()
	return a
}

func (p *parser) disallowProject() Statement {
	d := &DisallowProject{Node: p.node}
	d.Project, d.Package = p.projectToInstall()
	p.end()
	return d
}

// packageRef parses source_project.package, as INSTALL and UNINSTALL name a package.
func (p *parser) packageRef() (src, pkg string) {
	src = p.ident("a source project name")
	if t := p.peek(); !p.isPunct(t, '.') {
		p.unexpected(t, `"." and the package name (source_project.package)`)
	}
	p.i++
	pkg = p.simpleName("a package name")
	p.end()
	return src, pkg
}
