package lineage

import (
	"encoding/json"
	"fmt"
)

// File is one named script.
type File struct {
	Name   string // the key in the report, e.g. the file's base name
	Script string
}

// Report extracts every file and returns the CLI's JSON document: one
// object keyed by file name, {"a.sql": {"inputs": [...], "outputs": [...],
// "errors": [...]}}. Two files with the same name are an error.
func Report(files []File, d Dialect) ([]byte, error) {
	out := make(map[string]Result, len(files))
	for _, f := range files {
		if _, dup := out[f.Name]; dup {
			return nil, fmt.Errorf("two files named %q: the report is keyed by base name", f.Name)
		}
		out[f.Name] = Extract(f.Script, d)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
