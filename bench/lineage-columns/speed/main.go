// Command speed measures lineage.ExtractColumns throughput on one core over
// a corpus written by ../../lineage/gen, with the corpus's schemas given, and
// prints JSON: the fastest pass's rate by the wall clock (mb_per_s) and
// by CPU time (cpu_mb_per_s, which other load on the machine moves less).
//
//	go run ./bench/lineage-columns/speed -dir DIR [-schema lineage/testdata/columns/schema.ddl]
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/sluice-dev/sluice/bench/internal/cputime"
	"github.com/sluice-dev/sluice/lineage"
	"github.com/sluice-dev/sluice/mcsql"
)

type manifest struct {
	Files []struct {
		Name string `json:"name"`
	} `json:"files"`
	Bytes      int `json:"bytes"`
	Statements int `json:"statements"`
}

func main() {
	dir := flag.String("dir", "", "corpus directory written by bench/lineage/gen")
	schemaFile := flag.String("schema", "", "CREATE TABLE DDL giving table schemas (optional)")
	rounds := flag.Int("rounds", 3, "passes over the corpus; the fastest is reported")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of all passes to this file")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	b, err := os.ReadFile(filepath.Join(*dir, "manifest.json"))
	if err != nil {
		log.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		log.Fatal(err)
	}
	scripts := make([]string, len(m.Files))
	for i, f := range m.Files {
		b, err := os.ReadFile(filepath.Join(*dir, f.Name))
		if err != nil {
			log.Fatal(err)
		}
		scripts[i] = string(b)
	}
	schemas := lineage.Schemas{}
	if *schemaFile != "" {
		b, err := os.ReadFile(*schemaFile)
		if err != nil {
			log.Fatal(err)
		}
		if err := mcsql.AddTableColumns(schemas, string(b)); err != nil {
			log.Fatal(err)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	best, bestCPU := time.Duration(1<<63-1), time.Duration(1<<63-1)
	errs, columns := 0, 0
	for range *rounds {
		errs, columns = 0, 0
		start, startCPU := time.Now(), cputime.Used()
		for _, s := range scripts {
			r := lineage.ExtractColumns(s, lineage.ODPS, schemas)
			errs += len(r.Errors)
			columns += len(r.Columns)
		}
		best = min(best, time.Since(start))
		bestCPU = min(bestCPU, cputime.Used()-startCPU)
	}
	sec := best.Seconds()
	cpuRate := 0.0
	if bestCPU > 0 {
		cpuRate = float64(m.Bytes) / 1e6 / bestCPU.Seconds()
	}
	out := map[string]any{
		"scripts":          len(scripts),
		"bytes":            m.Bytes,
		"statements":       m.Statements,
		"seconds":          sec,
		"mb_per_s":         float64(m.Bytes) / 1e6 / sec,
		"cpu_mb_per_s":     cpuRate, // per second of CPU time, fastest pass
		"statement_errors": errs,
		"columns":          columns,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"sluice_columns": out}); err != nil {
		log.Fatal(err)
	}
}
