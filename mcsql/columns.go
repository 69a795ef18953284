package mcsql

import "strings"

// AddTableColumns adds to dst the columns, in order and lower case, of every CREATE TABLE in script: its
// columns, then its partition columns (MaxCompute's order); CREATE TABLE ... LIKE takes the columns dst
// already holds for the table it names. A table is keyed by its name as written, qualifiers included
// (project.t, project.schema.t), and also by its bare name unless another table already holds that key
// under its own bare name. This is the schema column lineage maps an INSERT's values to (lineage.Schemas).
func AddTableColumns(dst map[string][]string, script string) error {
	stmts, err := Parse(script)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		ct, ok := st.(*CreateTable)
		if !ok {
			continue
		}
		var cols []string
		if ct.Like != nil {
			cols = append(cols, dst[strings.ToLower(ct.Like.Name)]...)
		}
		for _, defs := range [][]ColumnDef{ct.Columns, ct.Partitions} {
			for _, c := range defs {
				cols = append(cols, strings.ToLower(c.Name))
			}
		}
		full, name := tableKeys(ct.Name)
		dst[full] = cols
		if _, taken := dst[name]; !taken || full == name {
			dst[name] = cols
		}
	}
	return nil
}

// tableKeys are the keys AddTableColumns and AddTableLabels know a table by: its name as written, and its
// bare name.
func tableKeys(n Name) (full, bare string) {
	bare = strings.ToLower(n.Name)
	full = bare
	if n.Schema != "" {
		full = strings.ToLower(n.Schema) + "." + full
	}
	if n.Project != "" {
		full = strings.ToLower(n.Project) + "." + full
	}
	return full, bare
}

// Labels are the sensitivity labels DDL declares, by table, keyed as AddTableColumns keys tables.
type Labels map[string]*TableLabels

// TableLabels are one table's labels: its own, and its columns' by lower-case name.
type TableLabels struct {
	Table   int
	Columns map[string]int
}

// AddTableLabels adds to dst the labels the SET LABEL statements of script declare: SET LABEL n TO TABLE t
// labels the table, SET LABEL n TO TABLE t (c, ...) its columns; a later statement replaces an earlier one,
// as it does in a project.
func AddTableLabels(dst Labels, script string) error {
	stmts, err := Parse(script)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		sl, ok := st.(*SetLabel)
		if !ok {
			continue
		}
		full, name := tableKeys(sl.Table)
		tl := dst[full]
		if tl == nil {
			tl = &TableLabels{Columns: map[string]int{}}
			dst[full] = tl
			if _, taken := dst[name]; !taken {
				dst[name] = tl
			}
		}
		if len(sl.Columns) == 0 {
			tl.Table = sl.Label
		}
		for _, c := range sl.Columns {
			tl.Columns[strings.ToLower(c)] = sl.Label
		}
	}
	return nil
}

// Column is the declared effective label of a column named as lineage names it, TABLE.COLUMN (the table as
// written, qualifiers included): the greater of its table's label and its own. A qualified table without
// labels of its own is looked up by its bare name, as a script that leaves the project out is.
func (l Labels) Column(name string) int {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return 0
	}
	table, col := strings.ToLower(name[:i]), strings.ToLower(name[i+1:])
	tl := l[table]
	if tl == nil {
		tl = l[table[strings.LastIndexByte(table, '.')+1:]]
	}
	if tl == nil {
		return 0
	}
	return max(tl.Table, tl.Columns[col])
}
