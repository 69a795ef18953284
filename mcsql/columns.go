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
		name := strings.ToLower(ct.Name.Name)
		full := name
		if ct.Name.Schema != "" {
			full = strings.ToLower(ct.Name.Schema) + "." + full
		}
		if ct.Name.Project != "" {
			full = strings.ToLower(ct.Name.Project) + "." + full
		}
		dst[full] = cols
		if _, taken := dst[name]; !taken || full == name {
			dst[name] = cols
		}
	}
	return nil
}
