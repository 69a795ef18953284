package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/native"
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
	cmd.AddCommand(newLineageGraphCommand())
	return cmd
}

// newLineageGraphCommand returns `sluice lineage graph TABLE --up|--down --depth N`, which asks a server for
// the multi-hop lineage graph of committed files around a table. (A script file named "graph" is still read
// by `sluice lineage ./graph`.)
func newLineageGraphCommand() *cobra.Command {
	flags := &clientFlags{}
	var up, down bool
	var depth, limit int
	cmd := clientCommand(flags, "graph TABLE [--up|--down] [--depth N] [--limit M]",
		"Print the lineage graph of tables and tasks around a table (odps.<project>.<table>)", cobra.ExactArgs(1),
		func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if up && down {
				return fmt.Errorf("use one of --up and --down")
			}
			dir := "down"
			if up {
				dir = "up"
			}
			table := args[0]
			if !strings.HasPrefix(strings.ToLower(table), "odps.") {
				table = "odps." + table
			}
			g, err := cl.LineageGraph(cmd.Context(), table, dir, depth, limit)
			if err != nil {
				return err
			}
			rows := make([][]string, 0, len(g.Nodes)+len(g.Edges))
			for _, n := range g.Nodes {
				rows = append(rows, []string{"node", strconv.Itoa(n.Depth), n.Kind, n.ID, n.Name})
			}
			for _, e := range g.Edges {
				rows = append(rows, []string{"edge", "", "", e.From, e.To})
			}
			if err := flags.print(cmd.OutOrStdout(), g, []string{"ITEM", "DEPTH", "KIND", "ID/FROM", "NAME/TO"}, rows); err != nil {
				return err
			}
			if g.Truncated && flags.output != "json" {
				fmt.Fprintf(cmd.OutOrStdout(), "truncated: the graph has more than %d nodes; raise --limit\n", len(g.Nodes))
			}
			if g.DepthLimited && flags.output != "json" {
				fmt.Fprintf(cmd.OutOrStdout(), "depth limited: lineage goes on beyond %d hops; raise --depth\n", g.Depth)
			}
			return nil
		})
	flags.register(cmd)
	cmd.Flags().BoolVar(&up, "up", false, "walk upstream: what the table is made from")
	cmd.Flags().BoolVar(&down, "down", false, "walk downstream: what is made from the table (default)")
	cmd.Flags().IntVar(&depth, "depth", 0, "table-to-table hops (server default 3, at most 20)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many nodes (server default 1000, at most 10000)")
	return cmd
}
