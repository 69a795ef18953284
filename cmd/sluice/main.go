// Command sluice is the Sluice server and its command-line client.
//
//	sluice serve                 run a server (SQLite and local blobs in ./sluice-data by default)
//	sluice configure             save a server and an access key as a profile
//	sluice user|key|project ...  administer a running server through its API
//	sluice files ...             DataWorks data-development files: ls, get, push, submit, deploy
//	sluice lineage FILE...       print the table lineage of SQL scripts, without a server
//	sluice sql -e|-f ...         run MaxCompute metadata statements (DDL, SHOW, DESC, packages)
//	sluice backup|restore        archive an embedded deployment while it serves, and bring it back
//	sluice audit                 read the audit log of changes
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
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
		fmt.Fprintln(os.Stderr, "sluice:", hint(err))
		os.Exit(1)
	}
}

// exitError ends the program with a status and no further message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// version is set at build time (go build -ldflags "-X main.version=v1.2.3"); otherwise --version reports
// what the Go toolchain recorded in the binary.
var version string

func buildVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		// A build from a checkout without a module version ("(devel)") still knows its commit.
		if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
			v = "(devel) " + s.Value
		}
	}
	return v + " " + bi.GoVersion
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "sluice",
		Short:         "A self-hosted data-development control plane speaking DataWorks, MaxCompute and DLI",
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newConfigureCommand(), newWhoamiCommand(), newUserCommand(), newKeyCommand(),
		newProjectCommand(), newLineageCommand(), newFilesCommand(), newResourceCommand(), newSQLCommand())
	root.AddCommand(newBackupCommands()...)
	root.AddCommand(newAuditCommand())
	var groups func(*cobra.Command)
	groups = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.HasSubCommands() && !sub.Runnable() {
				refuseUnknown(sub)
			}
			groups(sub)
		}
	}
	groups(root)
	return root
}

// refuseUnknown makes a command group answer an unknown subcommand with an error, a suggestion and a
// non-zero status. Cobra does that for the root only: a group without a Run prints its help and exits 0
// on "sluice project lst", which a script would take for success.
func refuseUnknown(group *cobra.Command) {
	group.SuggestionsMinimumDistance = 2
	group.Args = cobra.ArbitraryArgs
	group.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
		}
		return fmt.Errorf("%s\n\nRun '%s --help' for usage", msg, cmd.CommandPath())
	}
}
