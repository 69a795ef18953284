// Command gen writes a synthetic corpus of scheduled SQL scripts for the
// lineage throughput benchmark: realistic ODPS statements (multi-insert,
// CTEs, @vars, temporary tables, MERGE, joins, subqueries, comments) with
// random names, plus manifest.json listing each file's bytes and statements.
//
//	go run ./bench/lineage/gen -out DIR -mb 50
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

type fileInfo struct {
	Name       string `json:"name"`
	Bytes      int    `json:"bytes"`
	Statements int    `json:"statements"`
}

type manifest struct {
	Files      []fileInfo `json:"files"`
	Bytes      int        `json:"bytes"`
	Statements int        `json:"statements"`
}

func main() {
	out := flag.String("out", "", "directory to write into (created)")
	mb := flag.Int("mb", 50, "total size in MB (10^6 bytes)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		log.Fatal("gen: -out is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	g := &gen{r: rand.New(rand.NewPCG(*seed, 42))}
	var m manifest
	for i := 0; m.Bytes < *mb*1_000_000; i++ {
		script, n := g.script()
		name := fmt.Sprintf("gen_%06d.sql", i)
		if err := os.WriteFile(filepath.Join(*out, name), []byte(script), 0o644); err != nil {
			log.Fatal(err)
		}
		m.Files = append(m.Files, fileInfo{Name: name, Bytes: len(script), Statements: n})
		m.Bytes += len(script)
		m.Statements += n
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), b, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d scripts, %d bytes, %d statements to %s\n", len(m.Files), m.Bytes, m.Statements, *out)
}

type gen struct{ r *rand.Rand }

var (
	layers = []string{"ods", "dw", "dim", "ads", "tmp"}
	nouns  = []string{"order", "user", "item", "shop", "pay", "refund", "click", "log", "device", "coupon", "sku", "city"}
	cols   = []string{"id", "user_id", "amount", "status", "city_id", "create_time", "price", "qty", "channel", "level"}
)

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) table() string {
	t := g.pick(layers) + "_" + g.pick(nouns) + "_" + g.pick([]string{"di", "df", "1d", "hi"})
	if g.r.IntN(2) == 0 {
		return g.pick([]string{"ods", "dw", "dim", "ads"}) + "." + t
	}
	return t
}

func (g *gen) colList(alias string) string {
	n := 2 + g.r.IntN(5)
	parts := make([]string, n)
	for i := range parts {
		c := alias + "." + g.pick(cols)
		switch g.r.IntN(5) {
		case 0:
			c = "SUM(" + c + ") AS s" + fmt.Sprint(i)
		case 1:
			c = "CASE WHEN " + c + " > 0 THEN 'y' ELSE 'n' END AS f" + fmt.Sprint(i)
		case 2:
			c = "COALESCE(" + c + ", 'from x') AS c" + fmt.Sprint(i)
		}
		parts[i] = c
	}
	return strings.Join(parts, ",\n       ")
}

func (g *gen) where(alias string) string {
	w := alias + ".ds = '${bizdate}' AND " + alias + "." + g.pick(cols) + " IS NOT NULL"
	if g.r.IntN(3) == 0 {
		w += "\n  AND " + alias + ".user_id NOT IN (SELECT user_id FROM " + g.table() + " WHERE ds = '${bizdate}')"
	}
	return w
}

func (g *gen) selectFrom() string {
	s := "SELECT /*+ MAPJOIN(b) */ " + g.colList("a") + "\nFROM " + g.table() + " a\n"
	for j := g.r.IntN(3); j > 0; j-- {
		s += g.pick([]string{"LEFT JOIN", "JOIN", "LEFT SEMI JOIN", "FULL OUTER JOIN"}) + " " + g.table() + " b" + fmt.Sprint(j) +
			" ON a.id = b" + fmt.Sprint(j) + ".id AND b" + fmt.Sprint(j) + ".ds = '${bizdate}'\n"
	}
	s += "WHERE " + g.where("a")
	if g.r.IntN(2) == 0 {
		s += "\nGROUP BY a.id, a.user_id"
	}
	return s
}

func (g *gen) statement() string {
	switch g.r.IntN(9) {
	case 0:
		return "FROM " + g.table() + " s\n" +
			"INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT s.id, s.amount WHERE s.status = 'PAID'\n" +
			"INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT s.user_id, COUNT(1) WHERE s.status <> 'PAID' GROUP BY s.user_id"
	case 1:
		return "WITH base AS (\n  " + strings.ReplaceAll(g.selectFrom(), "\n", "\n  ") + "\n),\nagg AS (SELECT id, COUNT(*) AS cnt FROM base GROUP BY id)\n" +
			"INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT b.id, a.cnt FROM base b JOIN agg a ON b.id = a.id"
	case 2:
		return "@v := " + g.selectFrom() + ";\nINSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT * FROM @v"
	case 3:
		return "MERGE INTO " + g.table() + " t\nUSING (SELECT id, amount FROM " + g.table() + " WHERE ds = '${bizdate}') s\nON t.id = s.id\n" +
			"WHEN MATCHED THEN UPDATE SET t.amount = s.amount\nWHEN NOT MATCHED THEN INSERT VALUES (s.id, s.amount)"
	case 4:
		return "-- staging; see ticket 'DATA-" + fmt.Sprint(g.r.IntN(9999)) + "'\nCREATE TABLE IF NOT EXISTS tmp_stage_${bizdate} LIFECYCLE 1 AS\n" + g.selectFrom()
	case 5:
		return "SET odps.sql.allow.fullscan=true"
	case 6:
		return "INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT * FROM (\n  " +
			strings.ReplaceAll(g.selectFrom(), "\n", "\n  ") + "\n  UNION ALL\n  " + strings.ReplaceAll(g.selectFrom(), "\n", "\n  ") + "\n) u"
	case 7:
		return "INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\nSELECT t.id, tag\nFROM " + g.table() +
			" t\nLATERAL VIEW EXPLODE(SPLIT(t.tags, ',')) x AS tag\nWHERE t.ds = '${bizdate}'"
	default:
		return "INSERT OVERWRITE TABLE " + g.table() + " PARTITION (ds='${bizdate}')\n" + g.selectFrom()
	}
}

// script returns one script and its number of statements.
func (g *gen) script() (string, int) {
	var b strings.Builder
	b.WriteString("--odps sql\n--********************************************************************--\n--author: generated\n--********************************************************************--\n")
	n := 0
	for k := 3 + g.r.IntN(10); k > 0; k-- {
		s := g.statement()
		b.WriteString(s)
		b.WriteString(";\n\n")
		n += 1 + strings.Count(s, ";\n")
	}
	b.WriteString("DROP TABLE IF EXISTS tmp_stage_${bizdate};\n")
	return b.String(), n + 1
}
