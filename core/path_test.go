package core

import "testing"

func TestParseFolderPath(t *testing.T) {
	tests := []struct {
		path     string
		minDepth int
		key      string
		root     string
		wantErr  bool
	}{
		{"业务流程/sales/MaxCompute/ods层", 2, "sales/MaxCompute/ods层", "业务流程", false},
		{"Business Flow/sales/MaxCompute", 2, "sales/MaxCompute", "Business Flow", false},
		{"/business_process/sales/data_integration/", 2, "sales/data_integration", "business_process", false},
		{"Business Process/wf", 1, "wf", "Business Process", false},
		{"Business Process/wf", 2, "", "", true},
		{"Workflows/wf/MaxCompute", 2, "", "", true},
		{"业务流程//MaxCompute", 2, "", "", true},
		{"业务流程/ sales /MaxCompute", 2, "", "", true},
		{"", 1, "", "", true},
	}
	for _, tt := range tests {
		fp, err := parseFolderPath(tt.path, tt.minDepth)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFolderPath(%q) error = %v, want error %v", tt.path, err, tt.wantErr)
			continue
		}
		if err == nil && (fp.key() != tt.key || fp.root != tt.root) {
			t.Errorf("parseFolderPath(%q) = root %q key %q, want %q %q", tt.path, fp.root, fp.key(), tt.root, tt.key)
		}
	}
}
