package rpc

import (
	"context"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// programType is the node ProgramType of a FileType code.
func programType(code int) string {
	if t, ok := sluice.FileTypeByCode(code); ok {
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
	if _, ok := sluice.FileTypeByCode(n); !ok {
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
	for _, t := range sluice.FileTypes {
		name := t.NameZH
		if locale == "en-US" {
			name = t.Name
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
