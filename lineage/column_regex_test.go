package lineage

import "testing"

func TestColumnMatcher(t *testing.T) {
	cols := []string{"a", "b", "ds", "hh", "dsx", "_rnd"}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"", cols},
		{"(ds|hh)?+.+", []string{"a", "b", "dsx", "_rnd"}},
		{"(DS)?+.+", []string{"a", "b", "hh", "dsx", "_rnd"}},
		{"a|b", []string{"a", "b"}},
		{"ds.*", []string{"ds", "dsx"}},
		{"(d.)?+.+", cols},  // a possessive pattern RE2 cannot read: every column
		{"(unclosed", cols}, // not a pattern Go reads: every column
	} {
		match := columnMatcher(tc.pattern)
		var got []string
		for _, c := range cols {
			if match(c) {
				got = append(got, c)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q selects %v, want %v", tc.pattern, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q selects %v, want %v", tc.pattern, got, tc.want)
				break
			}
		}
	}
}
