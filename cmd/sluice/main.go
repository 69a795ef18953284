// Command sluice is the Sluice server and its command-line client.
//
//	sluice serve                 run a server (SQLite and local blobs in ./sluice-data by default)
//	sluice user|key|project ...  administer a running server through its API
//	sluice lineage FILE...       print the table lineage of SQL scripts, without a server
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(int(ee))
		}
		fmt.Fprintln(os.Stderr, "sluice:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status and no further message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "sluice",
		Short:         "A self-hosted data-development control plane speaking DataWorks, MaxCompute and DLI",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newWhoamiCommand(), newUserCommand(), newKeyCommand(), newProjectCommand(), newLineageCommand(), newFilesCommand())
	return root
}
