package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/native"
)

// clientFlags are the connection and output flags of every client command.
type clientFlags struct {
	endpoint, keyID, secret, output string
}

func (c *clientFlags) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&c.endpoint, "endpoint", "", "server URL (SLUICE_ENDPOINT, default http://127.0.0.1:8080)")
	f.StringVar(&c.keyID, "access-key-id", "", "access key id (SLUICE_ACCESS_KEY_ID)")
	f.StringVar(&c.secret, "access-key-secret", "", "access key secret (SLUICE_ACCESS_KEY_SECRET)")
	f.StringVarP(&c.output, "output", "o", "table", "output format: table or json")
}

// client returns an API client from the flags, falling back to the environment.
func (c *clientFlags) client() (*native.Client, error) {
	pick := func(flag, env, def string) string {
		if flag != "" {
			return flag
		}
		if v := os.Getenv(env); v != "" {
			return v
		}
		return def
	}
	endpoint := pick(c.endpoint, "SLUICE_ENDPOINT", "http://127.0.0.1:8080")
	if !strings.Contains(endpoint, "://") {
		endpoint = "http://" + endpoint
	}
	cl := &native.Client{Endpoint: endpoint, AccessKeyID: pick(c.keyID, "SLUICE_ACCESS_KEY_ID", ""),
		AccessKeySecret: pick(c.secret, "SLUICE_ACCESS_KEY_SECRET", "")}
	if cl.AccessKeyID == "" || cl.AccessKeySecret == "" {
		return nil, errors.New("no credentials: set SLUICE_ACCESS_KEY_ID and SLUICE_ACCESS_KEY_SECRET (or --access-key-id and --access-key-secret)")
	}
	if c.output != "table" && c.output != "json" {
		return nil, fmt.Errorf("output %q: use table or json", c.output)
	}
	return cl, nil
}

// print writes v as indented JSON, or as a table of headers and rows.
func (c *clientFlags) print(w io.Writer, v any, headers []string, rows [][]string) error {
	if c.output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// done reports a change that has no data to show.
func (c *clientFlags) done(w io.Writer, message string) error {
	if c.output == "json" {
		return c.print(w, map[string]bool{"ok": true}, nil, nil)
	}
	_, err := fmt.Fprintln(w, message)
	return err
}

func ts(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

// clientCommand builds a command whose RunE gets a connected client.
func clientCommand(flags *clientFlags, use, short string, args cobra.PositionalArgs,
	run func(cmd *cobra.Command, cl *native.Client, args []string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: args, RunE: func(cmd *cobra.Command, a []string) error {
		cl, err := flags.client()
		if err != nil {
			return err
		}
		return run(cmd, cl, a)
	}}
}

func newWhoamiCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := clientCommand(flags, "whoami", "Show the caller's user and key", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		w, err := cl.Whoami(cmd.Context())
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), w, []string{"USER", "ROLE", "ACCESS KEY"}, [][]string{{w.User, w.Role, w.AccessKeyID}})
	})
	flags.register(cmd)
	return cmd
}

func newUserCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := &cobra.Command{Use: "user", Short: "Manage users (root and account admins)"}
	flags.register(cmd)
	var role string
	create := clientCommand(flags, "create NAME", "Create a user", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		u, err := cl.CreateUser(cmd.Context(), args[0], role)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), u, []string{"NAME", "ROLE", "CREATED"}, [][]string{{u.Name, u.Role, ts(u.CreatedAt)}})
	})
	create.Flags().StringVar(&role, "role", "member", "member or admin")
	list := clientCommand(flags, "list", "List the users of your account", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		users, err := cl.ListUsers(cmd.Context())
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(users))
		for _, u := range users {
			rows = append(rows, []string{u.Name, u.Role, ts(u.CreatedAt)})
		}
		return flags.print(cmd.OutOrStdout(), users, []string{"NAME", "ROLE", "CREATED"}, rows)
	})
	cmd.AddCommand(create, list)
	return cmd
}

func keyRows(keys ...native.Key) [][]string {
	rows := make([][]string, 0, len(keys))
	for _, k := range keys {
		state := "enabled"
		if !k.Enabled {
			state = "disabled"
		}
		rows = append(rows, []string{k.AccessKeyID, k.User, state, ts(k.CreatedAt)})
	}
	return rows
}

func newKeyCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := &cobra.Command{Use: "key", Short: "Manage access keys (root and account admins)"}
	flags.register(cmd)
	var user string
	create := clientCommand(flags, "create", "Create an access key; its secret is shown once", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		if user == "" {
			return errors.New("--user is required")
		}
		k, err := cl.CreateKey(cmd.Context(), user)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), k, []string{"ACCESS KEY ID", "ACCESS KEY SECRET", "USER"}, [][]string{{k.AccessKeyID, k.AccessKeySecret, k.User}})
	})
	create.Flags().StringVar(&user, "user", "", "the user the key belongs to (required)")
	var listUser string
	list := clientCommand(flags, "list", "List access keys (never their secrets)", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		keys, err := cl.ListKeys(cmd.Context(), listUser)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), keys, []string{"ACCESS KEY ID", "USER", "STATE", "CREATED"}, keyRows(keys...))
	})
	list.Flags().StringVar(&listUser, "user", "", "only this user's keys")
	toggle := func(use, short string, enabled bool) *cobra.Command {
		return clientCommand(flags, use+" ID", short, cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if err := cl.SetKeyEnabled(cmd.Context(), args[0], enabled); err != nil {
				return err
			}
			return flags.done(cmd.OutOrStdout(), "Access key "+args[0]+" "+use+"d.")
		})
	}
	del := clientCommand(flags, "delete ID", "Delete an access key", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		if err := cl.DeleteKey(cmd.Context(), args[0]); err != nil {
			return err
		}
		return flags.done(cmd.OutOrStdout(), "Access key "+args[0]+" deleted.")
	})
	cmd.AddCommand(create, list, toggle("disable", "Disable an access key", false), toggle("enable", "Enable an access key", true), del)
	return cmd
}

func projectRows(projects ...native.Project) [][]string {
	rows := make([][]string, 0, len(projects))
	for _, p := range projects {
		rows = append(rows, []string{fmt.Sprint(p.ID), p.Name, p.UUID, p.Owner, ts(p.CreatedAt)})
	}
	return rows
}

var projectHeaders = []string{"ID", "NAME", "UUID", "OWNER", "CREATED"}

func newProjectCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := &cobra.Command{Use: "project", Short: "Manage projects and their members"}
	flags.register(cmd)
	var displayName, comment, prefix, role string
	create := clientCommand(flags, "create NAME", "Create a project you own", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		p, err := cl.CreateProject(cmd.Context(), args[0], displayName, comment)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), p, projectHeaders, projectRows(p))
	})
	create.Flags().StringVar(&displayName, "display-name", "", "display name (default the name)")
	create.Flags().StringVar(&comment, "comment", "", "description")
	list := clientCommand(flags, "list", "List the projects you are a member of", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		projects, err := cl.ListProjects(cmd.Context(), prefix)
		if err != nil {
			return err
		}
		if projects == nil {
			projects = []native.Project{}
		}
		return flags.print(cmd.OutOrStdout(), projects, projectHeaders, projectRows(projects...))
	})
	list.Flags().StringVar(&prefix, "prefix", "", "only names starting with this")
	get := clientCommand(flags, "get PROJECT", "Show a project (by name, id or uuid)", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		p, err := cl.GetProject(cmd.Context(), args[0])
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), p, projectHeaders, projectRows(p))
	})
	del := clientCommand(flags, "delete PROJECT", "Delete a project and everything in it (owners only)", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		if err := cl.DeleteProject(cmd.Context(), args[0]); err != nil {
			return err
		}
		return flags.done(cmd.OutOrStdout(), "Project "+args[0]+" deleted.")
	})
	members := clientCommand(flags, "members PROJECT", "List a project's members", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		ms, err := cl.ListMembers(cmd.Context(), args[0])
		if err != nil {
			return err
		}
		rows := make([][]string, 0, len(ms))
		for _, m := range ms {
			rows = append(rows, []string{m.User, m.Role, ts(m.CreatedAt)})
		}
		return flags.print(cmd.OutOrStdout(), ms, []string{"USER", "ROLE", "SINCE"}, rows)
	})
	add := clientCommand(flags, "add-member PROJECT USER", "Add a user to a project, or change its role", cobra.ExactArgs(2), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		m, err := cl.PutMember(cmd.Context(), args[0], args[1], role)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), m, []string{"PROJECT", "USER", "ROLE"}, [][]string{{m.Project, m.User, m.Role}})
	})
	add.Flags().StringVar(&role, "role", "", "owner, admin, developer or viewer (required)")
	add.MarkFlagRequired("role")
	remove := clientCommand(flags, "remove-member PROJECT USER", "Remove a user from a project", cobra.ExactArgs(2), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		if err := cl.DeleteMember(cmd.Context(), args[0], args[1]); err != nil {
			return err
		}
		return flags.done(cmd.OutOrStdout(), "Removed "+args[1]+" from "+args[0]+".")
	})
	cmd.AddCommand(create, list, get, del, members, add, remove)
	return cmd
}
