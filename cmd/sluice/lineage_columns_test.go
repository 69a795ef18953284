package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/lineage"
)

func TestLineageColumns(t *testing.T) {
	dir := t.TempDir()
	ddl, script := filepath.Join(dir, "schema.ddl"), filepath.Join(dir, "dws_orders.sql")
	os.WriteFile(ddl, []byte(`CREATE TABLE ods.ods_orders (order_id STRING, shop_id STRING, price DOUBLE, qty BIGINT) PARTITIONED BY (ds STRING);
CREATE TABLE dim_shop (shop_id STRING, name STRING);
CREATE TABLE dws_orders (shop_name STRING, amount DOUBLE, order_cnt BIGINT) PARTITIONED BY (ds STRING);
`), 0o644)
	os.WriteFile(script, []byte(`INSERT OVERWRITE TABLE dws_orders PARTITION (ds='${bizdate}')
SELECT s.name, SUM(o.price * o.qty), COUNT(o.order_id)
FROM ods_orders o JOIN dim_shop s ON o.shop_id = s.shop_id GROUP BY s.name;
`), 0o644)

	out, _, err := execute(t, "lineage", "--columns", "--schema", ddl, script)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got map[string]lineage.ColumnResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := got["dws_orders.sql"]
	want := []lineage.ColumnEdge{
		{Target: "dws_orders.shop_name", Sources: []string{"dim_shop.name"}, Kind: "direct"},
		{Target: "dws_orders.amount", Sources: []string{"ods_orders.price", "ods_orders.qty"}, Kind: "aggregation"},
		{Target: "dws_orders.order_cnt", Sources: []string{"ods_orders.order_id"}, Kind: "aggregation"},
		{Target: "dws_orders.ds", Sources: []string{}, Kind: "constant"},
	}
	if b, _ := json.Marshal(r.Columns); string(b) != mustJSON(t, want) {
		t.Errorf("columns %s\nwant %s", b, mustJSON(t, want))
	}
	// The keys of the table lineage are there, unchanged.
	for _, k := range []string{`"inputs"`, `"outputs"`, `"errors"`, `"columns"`} {
		if !strings.Contains(out, k) {
			t.Errorf("no %s key:\n%s", k, out)
		}
	}

	// Without --columns the output is the table lineage alone.
	out, _, err = execute(t, "lineage", script)
	if err != nil || strings.Contains(out, `"columns"`) {
		t.Errorf("table lineage: %v\n%s", err, out)
	}
	if _, _, err := execute(t, "lineage", "--schema", ddl, script); err == nil {
		t.Error("--schema without --columns accepted")
	}
	out, _, err = execute(t, "lineage", "--columns", "-o", "table", script)
	if err != nil || !strings.Contains(out, "dws_orders._c1") || !strings.Contains(out, "(assumed)") {
		t.Errorf("-o table without schemas: %v\n%s", err, out)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
