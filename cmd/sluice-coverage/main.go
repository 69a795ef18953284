// Command sluice-coverage writes docs/coverage.md, the API coverage page: every operation of the vendor
// APIs Sluice speaks, with its status in Sluice. Run it from the repository root:
//
//	go run ./cmd/sluice-coverage            # specs at ../shared/spec: rewrite coverage/operations.json, then the page
//	go run ./cmd/sluice-coverage -spec DIR  # specs elsewhere
//	go run ./cmd/sluice-coverage -spec ''   # keep the checked-in catalogue, rewrite the page only
//
// It is a command of its own, not a subcommand of sluice, because it is a tool for working on the
// repository (it reads the specs beside it and writes files into it), not something a server operator runs.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sluice-dev/sluice/coverage"
)

func main() {
	spec := flag.String("spec", "../shared/spec", "directory of the wire specs; when absent or empty the checked-in catalogue is used")
	root := flag.String("root", ".", "the repository root")
	flag.Parse()
	if err := run(*spec, *root); err != nil {
		fmt.Fprintln(os.Stderr, "sluice-coverage:", err)
		os.Exit(1)
	}
}

func run(spec, root string) error {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("run from the repository root (or give -root): %w", err)
	}
	cat, err := coverage.Load()
	if err != nil {
		return err
	}
	if spec != "" {
		if _, err := os.Stat(spec); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "sluice-coverage: %s absent: using the checked-in %s\n", spec, coverage.CatalogueFile)
		} else {
			if cat, err = coverage.ParseSpec(spec); err != nil {
				return err
			}
			if err := write(filepath.Join(root, coverage.CatalogueFile), cat.Encode()); err != nil {
				return err
			}
		}
	}
	page, err := coverage.Page(cat)
	if err != nil {
		return err
	}
	return write(filepath.Join(root, coverage.PageFile), page)
}

// write replaces file with b when they differ, and says so.
func write(file string, b []byte) error {
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, b) {
		fmt.Printf("%s: up to date\n", file)
		return nil
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: written\n", file)
	return nil
}
