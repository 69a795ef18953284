package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
)

// clientFlags are the connection and output flags of every client command.
type clientFlags struct {
	endpoint, keyID, secret, profile, output string
}

func (c *clientFlags) register(cmd *cobra.Command) {
	c.registerConnection(cmd)
	c.registerOutput(cmd.PersistentFlags())
}

// registerConnection registers the flags that choose the server and the key.
func (c *clientFlags) registerConnection(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&c.endpoint, "endpoint", "", "server URL ("+envvar.Endpoint+", the profile, default "+defaultEndpoint+")")
	f.StringVar(&c.keyID, "access-key-id", "", "access key id ("+envvar.AccessKeyID+", the profile)")
	f.StringVar(&c.secret, "access-key-secret", "", "access key secret ("+envvar.AccessKeySecret+", the profile)")
	f.StringVar(&c.profile, "profile", "", "profile saved by sluice configure ("+envvar.Profile+", default the current one)")
	c.output = "table"
}

// registerOutput registers -o, --output: a command group whose one command gives -o another meaning
// registers it on each of the others.
func (c *clientFlags) registerOutput(f *pflag.FlagSet) {
	f.StringVarP(&c.output, "output", "o", "table", "output format: table or json")
}

// client returns an API client. Each setting comes from its flag, else the environment, else the profile,
// else the default.
func (c *clientFlags) client() (*native.Client, error) {
	prof, err := selectedProfile(c.profile)
	if err != nil {
		return nil, err
	}
	cl := &native.Client{Endpoint: c.endpointFor(prof),
		AccessKeyID:     cmp.Or(c.keyID, os.Getenv(envvar.AccessKeyID), prof.AccessKeyID),
		AccessKeySecret: cmp.Or(c.secret, os.Getenv(envvar.AccessKeySecret), prof.AccessKeySecret)}
	if cl.AccessKeyID == "" || cl.AccessKeySecret == "" {
		return nil, fmt.Errorf("no credentials: run sluice configure, or set %s and %s (or --access-key-id and --access-key-secret)",
			envvar.AccessKeyID, envvar.AccessKeySecret)
	}
	if c.output != "table" && c.output != "json" {
		return nil, fmt.Errorf("output %q: use table or json", c.output)
	}
	return cl, nil
}

// endpointFor is the server URL commands use with a profile: the flag, else the environment, else the
// profile's, else the default.
func (c *clientFlags) endpointFor(prof *profile) string {
	return endpointURL(cmp.Or(c.endpoint, os.Getenv(envvar.Endpoint), prof.Endpoint, defaultEndpoint))
}

// hint adds to an error what the user can check. A SignatureDoesNotMatch answer means the server found
// the key id but computed another signature: almost always a wrong secret. The server's own message keeps
// the vendor's text, which SDKs match on; only the CLI says more.
func hint(err error) error {
	var se *alibaba.ServiceError
	if errors.As(err, &se) && se.Code == "SignatureDoesNotMatch" {
		return fmt.Errorf("%w\ncheck %s (or --access-key-secret, or the profile's secret): it does not match the access key id",
			err, envvar.AccessKeySecret)
	}
	return err
}

// print writes v as indented JSON, or as a table of headers and rows.
func (c *clientFlags) print(w io.Writer, v any, headers []string, rows [][]string) error {
	if c.output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	return writeTable(w, headers, rows)
}

// writeTable aligns columns by their width on a terminal, where CJK characters take two cells (which
// text/tabwriter does not know), with two spaces between columns and none after the last.
func writeTable(w io.Writer, headers []string, rows [][]string) error {
	lines := append([][]string{headers}, rows...)
	var widths []int
	for _, l := range lines {
		for i, cell := range l {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, l := range lines {
		for i, cell := range l {
			if i < len(l)-1 {
				b.WriteString(runewidth.FillRight(cell, widths[i]+2))
			} else {
				b.WriteString(cell)
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
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

// userID resolves a user flag, a name or an id, to the decimal id DataWorks fields and filters hold. An id
// the caller's account does not know is passed on as it is: as a filter it then matches nothing, which is
// the answer.
func userID(cmd *cobra.Command, cl *native.Client, nameOrID string) (string, error) {
	u, err := cl.GetUser(cmd.Context(), nameOrID)
	var se *alibaba.ServiceError
	if errors.As(err, &se) && se.Code == "NotFound" && isDecimal(nameOrID) {
		return nameOrID, nil
	}
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(u.ID, 10), nil
}

// userName resolves a user argument, a name or an id, to the name the native API takes. Only digits need a
// lookup (a name may be digits too: the server prefers the user so named).
func userName(cmd *cobra.Command, cl *native.Client, nameOrID string) (string, error) {
	if !isDecimal(nameOrID) {
		return nameOrID, nil
	}
	u, err := cl.GetUser(cmd.Context(), nameOrID)
	return u.Name, err
}

func isDecimal(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func newWhoamiCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := clientCommand(flags, "whoami", "Show the caller's user and key", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		w, err := cl.Whoami(cmd.Context())
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), w, []string{"USER", "USER ID", "ROLE", "ACCESS KEY"},
			[][]string{{w.User, strconv.FormatInt(w.UserID, 10), w.Role, w.AccessKeyID}})
	})
	flags.register(cmd)
	return cmd
}

var userHeaders = []string{"ID", "NAME", "ROLE", "CREATED"}

func userRows(users ...native.User) [][]string {
	rows := make([][]string, 0, len(users))
	for _, u := range users {
		rows = append(rows, []string{strconv.FormatInt(u.ID, 10), u.Name, u.Role, ts(u.CreatedAt)})
	}
	return rows
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
		return flags.print(cmd.OutOrStdout(), u, userHeaders, userRows(u))
	})
	create.Flags().StringVar(&role, "role", "member", "member or admin")
	list := clientCommand(flags, "list", "List the users of your account", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		users, err := cl.ListUsers(cmd.Context())
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), users, userHeaders, userRows(users...))
	})
	cmd.AddCommand(create, list, newPasswdCommand(flags))
	return cmd
}

func newPasswdCommand(flags *clientFlags) *cobra.Command {
	var fromStdin bool
	passwd := clientCommand(flags, "passwd NAME [--password-stdin]", "Set a user's web console password", cobra.ExactArgs(1), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		password, err := readNewPassword(cmd, fromStdin)
		if err != nil {
			return err
		}
		name, err := userName(cmd, cl, args[0])
		if err != nil {
			return err
		}
		if err := cl.SetPassword(cmd.Context(), name, password); err != nil {
			return err
		}
		return flags.done(cmd.OutOrStdout(), "Set the console password of "+name+"; its console sessions have ended.")
	})
	passwd.Long = `Sets the password a user signs in to the web console with: an admin for any user of the account, any
user for itself. The user's console sessions end. Passwords are 8 to 72 bytes.

On a terminal it asks twice, without echo. With --password-stdin it reads one line from standard input
instead (for scripts: printf '%s\n' "$PASSWORD" | sluice user passwd alice --password-stdin); the
password is never a flag, which would show it in the process list and the shell's history.`
	passwd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	return passwd
}

// readPassword reads a line from the terminal r without echo. Tests replace it.
var readPassword = func(r io.Reader) (string, error) {
	f, ok := r.(*os.File)
	if !ok {
		return "", errors.New("standard input is not a terminal")
	}
	b, err := term.ReadPassword(int(f.Fd()))
	return string(b), err
}

// readNewPassword reads the new password: the first line of standard input with --password-stdin, else
// twice from the terminal, which must agree.
func readNewPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	in := cmd.InOrStdin()
	if fromStdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		// Only the line's end goes: spaces are part of a password.
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", errors.New("--password-stdin: standard input holds no password")
		}
		return line, nil
	}
	if !isTerminal(in) {
		return "", errors.New("standard input is not a terminal: pass --password-stdin to read the password from it")
	}
	ask := func(label string) (string, error) {
		fmt.Fprint(cmd.ErrOrStderr(), label)
		pw, err := readPassword(in)
		fmt.Fprintln(cmd.ErrOrStderr()) // the user's Enter was not echoed
		return pw, err
	}
	first, err := ask("New password: ")
	if err != nil {
		return "", err
	}
	second, err := ask("Repeat the new password: ")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", errors.New("the passwords do not match; nothing was changed")
	}
	return first, nil
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
		name, err := userName(cmd, cl, user)
		if err != nil {
			return err
		}
		k, err := cl.CreateKey(cmd.Context(), name)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), k, []string{"ACCESS KEY ID", "ACCESS KEY SECRET", "USER"}, [][]string{{k.AccessKeyID, k.AccessKeySecret, k.User}})
	})
	create.Flags().StringVar(&user, "user", "", "the user the key belongs to, a name or an id (required)")
	var listUser string
	list := clientCommand(flags, "list", "List access keys (never their secrets)", cobra.NoArgs, func(cmd *cobra.Command, cl *native.Client, _ []string) error {
		name, err := userName(cmd, cl, listUser)
		if err != nil {
			return err
		}
		keys, err := cl.ListKeys(cmd.Context(), name)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), keys, []string{"ACCESS KEY ID", "USER", "STATE", "CREATED"}, keyRows(keys...))
	})
	list.Flags().StringVar(&listUser, "user", "", "only this user's keys (a name or an id)")
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
		user, err := userName(cmd, cl, args[1])
		if err != nil {
			return err
		}
		m, err := cl.PutMember(cmd.Context(), args[0], user, role)
		if err != nil {
			return err
		}
		return flags.print(cmd.OutOrStdout(), m, []string{"PROJECT", "USER", "ROLE"}, [][]string{{m.Project, m.User, m.Role}})
	})
	add.Flags().StringVar(&role, "role", "", "owner, admin, developer or viewer (required)")
	add.MarkFlagRequired("role")
	remove := clientCommand(flags, "remove-member PROJECT USER", "Remove a user from a project", cobra.ExactArgs(2), func(cmd *cobra.Command, cl *native.Client, args []string) error {
		user, err := userName(cmd, cl, args[1])
		if err != nil {
			return err
		}
		if err := cl.DeleteMember(cmd.Context(), args[0], user); err != nil {
			return err
		}
		return flags.done(cmd.OutOrStdout(), "Removed "+args[1]+" from "+args[0]+".")
	})
	cmd.AddCommand(create, list, get, del, members, add, remove)
	return cmd
}
