package acsrpc

import (
	"context"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// fileType is one entry of the FileType catalogue (dataworks-files-lineage.md §3.1): the code files carry,
// the textual ProgramType nodes carry, and the display names ListFileType returns per locale.
type fileType struct {
	Code        int
	ProgramType string
	English     string
	Chinese     string
}

// fileTypes is the catalogue, in code order. The ProgramType spellings are the ones DataWorks shows for
// nodes (ODPS_SQL, DIDE_SHELL, PY_ODPS, ...).
var fileTypes = []fileType{
	{6, "DIDE_SHELL", "Shell", "Shell"},
	{10, "ODPS_SQL", "ODPS SQL", "ODPS SQL"},
	{11, "ODPS_MR", "ODPS MR", "ODPS MR"},
	{23, "DI", "Data Integration", "数据集成"},
	{24, "ODPS_SQL_SCRIPT", "ODPS Script", "ODPS Script"},
	{97, "PAI", "PAI", "PAI"},
	{98, "COMBINED_NODE", "Node Group", "组合节点"},
	{99, "VIRTUAL", "Zero-Load Node", "虚拟节点"},
	{221, "PY_ODPS", "PyODPS 2", "PyODPS 2"},
	{225, "ODPS_SPARK", "ODPS Spark", "ODPS Spark"},
	{227, "EMR_HIVE", "EMR Hive", "EMR Hive"},
	{228, "EMR_SPARK", "EMR Spark", "EMR Spark"},
	{229, "EMR_SPARK_SQL", "EMR Spark SQL", "EMR Spark SQL"},
	{230, "EMR_MR", "EMR MR", "EMR MR"},
	{239, "OSS_INSPECT", "OSS Object Inspection", "OSS对象检查"},
	{257, "EMR_SHELL", "EMR Shell", "EMR Shell"},
	{258, "EMR_SPARK_SHELL", "EMR Spark Shell", "EMR Spark Shell"},
	{259, "EMR_PRESTO", "EMR Presto", "EMR Presto"},
	{260, "EMR_IMPALA", "EMR Impala", "EMR Impala"},
	{900, "RI", "Real-time Synchronization", "实时同步"},
	{1002, "PAI_INNER", "PAI Internal Node", "PAI内部节点"},
	{1089, "CROSS_TENANTS", "Cross-tenant Node", "跨租户节点"},
	{1091, "HOLOGRES_DEVELOP", "Hologres Development", "Hologres开发"},
	{1093, "HOLOGRES_SQL", "Hologres SQL", "Hologres SQL"},
	{1100, "CONTROLLER_ASSIGNMENT", "Assignment Node", "赋值节点"},
	{1106, "CONTROLLER_TRAVERSE", "For-each Node", "遍历节点(foreach)"},
	{1221, "PYODPS3", "PyODPS 3", "PyODPS 3"},
}

func lookupFileType(code int) (fileType, bool) {
	for _, t := range fileTypes {
		if t.Code == code {
			return t, true
		}
	}
	return fileType{}, false
}

// programType is the node ProgramType of a FileType code.
func programType(code int) string {
	if t, ok := lookupFileType(code); ok {
		return t.ProgramType
	}
	return strconv.Itoa(code)
}

// fileTypeCode parses one FileType code and checks it against the catalogue.
func fileTypeCode(name, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, invalid(name, "%q is not a FileType code.", v)
	}
	if _, ok := lookupFileType(n); !ok {
		return 0, invalid(name, "%d is not a known FileType code (see ListFileType).", n)
	}
	return n, nil
}

// fileTypeList parses a comma-separated list of FileType codes (ListFiles FileTypes).
func (p params) fileTypeList(name string) ([]int, error) {
	var out []int
	for _, s := range p.list(name) {
		n, err := fileTypeCode(name, s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

type nodeTypeInfo struct {
	NodeType     int    `json:"NodeType"`
	NodeTypeName string `json:"NodeTypeName"`
}

type nodeTypeInfoList struct {
	PageNumber   int64          `json:"PageNumber"`
	PageSize     int64          `json:"PageSize"`
	TotalCount   int            `json:"TotalCount"`
	NodeTypeInfo []nodeTypeInfo `json:"NodeTypeInfo"`
}

// listFileType: ListFileType answers RequestId and NodeTypeInfoList only (no Success/Data envelope). The
// catalogue is the same in every workspace, but the workspace must exist and be readable.
func (dw dataWorks) listFileType(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	locale, err := p.enum("Locale", "zh-CN", "en-US")
	if err != nil {
		return nil, err
	}
	if _, err := dw.Projects.Authorize(ctx, ref, sluice.Read); err != nil {
		return nil, err
	}
	keyword := strings.ToLower(p.get("Keyword"))
	var all []nodeTypeInfo
	for _, t := range fileTypes {
		name := t.Chinese
		if locale == "en-US" {
			name = t.English
		}
		if keyword != "" && !strings.Contains(strings.ToLower(name), keyword) && !strings.Contains(strings.ToLower(t.ProgramType), keyword) {
			continue
		}
		all = append(all, nodeTypeInfo{NodeType: t.Code, NodeTypeName: name})
	}
	list := nodeTypeInfoList{PageNumber: number, PageSize: size, TotalCount: len(all), NodeTypeInfo: []nodeTypeInfo{}}
	if from := offset(number, size); from < len(all) {
		list.NodeTypeInfo = all[from:min(len(all), from+int(size))]
	}
	return struct {
		NodeTypeInfoList nodeTypeInfoList `json:"NodeTypeInfoList"`
	}{list}, nil
}
