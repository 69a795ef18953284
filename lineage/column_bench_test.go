package lineage

import (
	"strings"
	"testing"
)

func BenchmarkExtractColumns(b *testing.B) {
	script := strings.Repeat(benchScript, 20)
	schemas := Schemas{"dim.dim_city": {"city_id", "city_name", "province"}}
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		res := ExtractColumns(script, ODPS, schemas)
		if len(res.Columns) == 0 {
			b.Fatalf("no columns: %+v", res.Errors)
		}
	}
}
