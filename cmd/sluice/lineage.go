package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/lineage"
)

// newLineageCommand returns `sluice lineage [--dialect odps|hive|spark] FILE...`,
// which prints the table lineage of each script without a server.
func newLineageCommand() *cobra.Command {
	var dialect string
	cmd := &cobra.Command{
		Use:   "lineage [--dialect odps|hive|spark] FILE...",
		Short: "Print the tables SQL scripts read and write",
		Long: `Prints one JSON object keyed by each file's base name:
{"a.sql": {"inputs": [...], "outputs": [...], "errors": [...]}}.
Statements that cannot be understood are listed under "errors" and do not
stop the rest of the script. No server is needed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := lineage.ParseDialect(dialect)
			if err != nil {
				return err
			}
			files := make([]lineage.File, 0, len(args))
			for _, path := range args {
				b, err := os.ReadFile(path)
				if err != nil {
					return fmt.Errorf("read script: %w", err)
				}
				files = append(files, lineage.File{Name: filepath.Base(path), Script: string(b)})
			}
			out, err := lineage.Report(files, d)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	cmd.Flags().StringVar(&dialect, "dialect", string(lineage.ODPS), "SQL dialect: odps, hive or spark")
	return cmd
}
