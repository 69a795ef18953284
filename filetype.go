package sluice

// FileTypeInfo describes one FileType code (DataWorks node types, spec dataworks-files-lineage.md §3.1).
type FileTypeInfo struct {
	Code        int
	Name        string // English
	NameZH      string // Chinese
	ProgramType string // the scheduler's textual type, e.g. ODPS_SQL
	SQL         string // lineage dialect when the file is SQL ("odps", "hive", "spark"), "" otherwise
}

// FileTypes is the catalogue of file types, by code.
var FileTypes = []FileTypeInfo{
	{6, "Shell", "Shell", "DIDE_SHELL", ""},
	{10, "ODPS SQL", "ODPS SQL", "ODPS_SQL", "odps"},
	{11, "ODPS MR", "ODPS MR", "ODPS_MR", ""},
	{23, "Data Integration", "数据集成", "DI", ""},
	{24, "ODPS Script", "ODPS Script", "ODPS_SQL_SCRIPT", "odps"},
	{97, "PAI", "PAI", "PAI", ""},
	{98, "Node Group", "组合节点", "COMBINED_NODE", ""},
	{99, "Zero-Load Node", "虚拟节点", "VIRTUAL", ""},
	{221, "PyODPS 2", "PyODPS 2", "PY_ODPS", ""},
	{225, "ODPS Spark", "ODPS Spark", "ODPS_SPARK", ""},
	{227, "EMR Hive", "EMR Hive", "EMR_HIVE", "hive"},
	{228, "EMR Spark", "EMR Spark", "EMR_SPARK", ""},
	{229, "EMR Spark SQL", "EMR Spark SQL", "EMR_SPARK_SQL", "spark"},
	{230, "EMR MR", "EMR MR", "EMR_MR", ""},
	{239, "OSS Object Inspection", "OSS对象检查", "OSS_INSPECT", ""},
	{257, "EMR Shell", "EMR Shell", "EMR_SHELL", ""},
	{258, "EMR Spark Shell", "EMR Spark Shell", "EMR_SPARK_SHELL", ""},
	{259, "EMR Presto", "EMR Presto", "EMR_PRESTO", ""},
	{260, "EMR Impala", "EMR Impala", "EMR_IMPALA", ""},
	{900, "Real-time Synchronization", "实时同步", "RI", ""},
	{1002, "PAI Internal Node", "PAI内部节点", "PAI_INNER", ""},
	{1089, "Cross-tenant Node", "跨租户节点", "CROSS_TENANTS", ""},
	{1091, "Hologres Development", "Hologres开发", "HOLOGRES_DEVELOP", ""},
	{1093, "Hologres SQL", "Hologres SQL", "HOLOGRES_SQL", "odps"},
	{1100, "Assignment Node", "赋值节点", "CONTROLLER_ASSIGNMENT", ""},
	{1106, "For-each Node", "遍历节点(foreach)", "CONTROLLER_TRAVERSE", ""},
	{1221, "PyODPS 3", "PyODPS 3", "PYODPS3", ""},
}

// FileTypeByCode returns the catalogue entry of code.
func FileTypeByCode(code int) (FileTypeInfo, bool) {
	for _, t := range FileTypes {
		if t.Code == code {
			return t, true
		}
	}
	return FileTypeInfo{}, false
}
