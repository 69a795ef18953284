package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	"github.com/sluice-dev/sluice/api/native"
)

// pushTypes maps script extensions to DataWorks FileType codes for `files push`; --type ext=code adds or
// overrides entries (docs/dataworks.md lists them).
var pushTypes = map[string]int{
	".sql": 10,   // ODPS SQL
	".sh":  6,    // Shell
	".py":  1221, // PyODPS 3
}

func newFilesCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := &cobra.Command{Use: "files", Short: "Data-development files of a DataWorks workspace: list, show, push a directory, submit, deploy"}
	flags.register(cmd)
	var project string
	cmd.PersistentFlags().StringVarP(&project, "project", "p", "", "workspace: name or numeric id (required)")
	withRPC := func(run func(cmd *cobra.Command, cl *rpc.Client, args []string) error) func(*cobra.Command, *native.Client, []string) error {
		return func(cmd *cobra.Command, n *native.Client, args []string) error {
			if project == "" {
				return errors.New("--project is required")
			}
			return run(cmd, &rpc.Client{Endpoint: n.Endpoint, AccessKeyID: n.AccessKeyID, AccessKeySecret: n.AccessKeySecret}, args)
		}
	}

	var lsPath, lsKeyword, lsName, lsTypes, lsOwner, lsEditor string
	ls := clientCommand(flags, "ls", "List files (all pages)", cobra.NoArgs, func(cmd *cobra.Command, n *native.Client, args []string) error {
		// Owner and LastEditUser are user ids on the wire; the flags take a name or an id.
		filters := map[string]string{"FileFolderPath": lsPath, "Keyword": lsKeyword, "ExactFileName": lsName, "FileTypes": lsTypes}
		for param, user := range map[string]string{"Owner": lsOwner, "LastEditUser": lsEditor} {
			if user != "" {
				id, err := userID(cmd, n, user)
				if err != nil {
					return err
				}
				filters[param] = id
			}
		}
		return withRPC(func(cmd *cobra.Command, cl *rpc.Client, _ []string) error {
			q := rpc.Project(project)
			for k, v := range filters {
				if v != "" {
					q.Set(k, v)
				}
			}
			q.Set("NeedAbsoluteFolderPath", "true")
			files, err := listAll(cmd, cl, q)
			if err != nil {
				return err
			}
			var prod map[int64]int
			if len(files) > 0 {
				if prod, err = cl.ProdFileVersions(cmd.Context(), project); err != nil {
					return err
				}
			}
			type listed struct {
				rpc.File
				ProdVersion int `json:"ProdVersion,omitempty"` // the version deployed to production; 0: not deployed
			}
			out := make([]listed, 0, len(files))
			rows := make([][]string, 0, len(files))
			for _, f := range files {
				out = append(out, listed{f, prod[f.FileID]})
				deployed := "-"
				if v, ok := prod[f.FileID]; ok {
					deployed = "v" + strconv.Itoa(v)
				}
				rows = append(rows, []string{strconv.FormatInt(f.FileID, 10), f.FileName, typeName(f.FileType), f.AbsoluteFolderPath,
					commitState(f.CommitStatus), strconv.Itoa(f.CurrentVersion), deployed, strconv.FormatInt(f.NodeID, 10), msTime(f.LastEditTime)})
			}
			return flags.print(cmd.OutOrStdout(), out, []string{"ID", "NAME", "TYPE", "FOLDER", "STATE", "VERSION", "PROD", "NODE", "EDITED"}, rows)
		})(cmd, n, args)
	})
	ls.Flags().StringVar(&lsPath, "path", "", "only files directly in this folder")
	ls.Flags().StringVar(&lsKeyword, "keyword", "", "only names containing this")
	ls.Flags().StringVar(&lsName, "name", "", "only this exact name")
	ls.Flags().StringVar(&lsTypes, "type", "", "only these FileType codes, comma-separated (10,6)")
	ls.Flags().StringVar(&lsOwner, "owner", "", "only files this user owns (a name or an id)")
	ls.Flags().StringVar(&lsEditor, "last-edit-user", "", "only files this user edited last (a name or an id)")

	var contentOnly bool
	get := clientCommand(flags, "get FILE_ID", "Show a file and its schedule (--content: the code only)", cobra.ExactArgs(1), withRPC(func(cmd *cobra.Command, cl *rpc.Client, args []string) error {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("file id %q is not a number", args[0])
		}
		d, err := cl.GetFile(cmd.Context(), project, id)
		if err != nil {
			return err
		}
		w := cmd.OutOrStdout()
		if contentOnly {
			// End with a newline, so that the shell prompt does not follow the code's last line.
			content := d.File.Content
			if content != "" && !strings.HasSuffix(content, "\n") {
				content += "\n"
			}
			_, err := fmt.Fprint(w, content)
			return err
		}
		if flags.output == "json" {
			return flags.print(w, d, nil, nil)
		}
		f := d.File
		rows := [][]string{{"ID", strconv.FormatInt(f.FileID, 10)}, {"NAME", f.FileName}, {"TYPE", typeName(f.FileType)},
			{"FOLDER", f.AbsoluteFolderPath}, {"STATE", commitState(f.CommitStatus)}, {"VERSION", strconv.Itoa(f.CurrentVersion)},
			{"NODE", strconv.FormatInt(f.NodeID, 10)}, {"OWNER", f.Owner}, {"AUTO PARSING", strconv.FormatBool(f.AutoParsing)}, {"EDITED", msTime(f.LastEditTime)},
			{"CRON", d.NodeConfiguration.CronExpress}}
		if err := flags.print(w, d, []string{"FIELD", "VALUE"}, rows); err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "\n%s\n", strings.TrimRight(f.Content, "\n"))
		return err
	}))
	get.Flags().BoolVar(&contentOnly, "content", false, "print only the file's code")

	var comment string
	step := func(use, short string, call func(*rpc.Client) func(*cobra.Command, string, int64, string) (int64, error)) *cobra.Command {
		c := clientCommand(flags, use+" FILE_ID...", short, cobra.MinimumNArgs(1), withRPC(func(cmd *cobra.Command, cl *rpc.Client, args []string) error {
			type result struct {
				FileID       int64 `json:"fileId"`
				DeploymentID int64 `json:"deploymentId"`
			}
			var out []result
			var rows [][]string
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil {
					return fmt.Errorf("file id %q is not a number", a)
				}
				dep, err := call(cl)(cmd, project, id, comment)
				if err != nil {
					return fmt.Errorf("file %d: %w", id, err)
				}
				out = append(out, result{id, dep})
				rows = append(rows, []string{a, strconv.FormatInt(dep, 10)})
			}
			return flags.print(cmd.OutOrStdout(), out, []string{"FILE ID", "DEPLOYMENT"}, rows)
		}))
		c.Flags().StringVar(&comment, "comment", "", "comment recorded with the version or deployment")
		return c
	}
	submit := step("submit", "Commit files' drafts as new versions (DEV node)", func(cl *rpc.Client) func(*cobra.Command, string, int64, string) (int64, error) {
		return func(cmd *cobra.Command, p string, id int64, c string) (int64, error) {
			return cl.SubmitFile(cmd.Context(), p, id, c)
		}
	})
	deploy := step("deploy", "Publish files' committed versions to production", func(cl *rpc.Client) func(*cobra.Command, string, int64, string) (int64, error) {
		return func(cmd *cobra.Command, p string, id int64, c string) (int64, error) {
			return cl.DeployFile(cmd.Context(), p, id, c)
		}
	})

	var push pushOptions
	pushCmd := clientCommand(flags, "push DIR", "Mirror a local directory of scripts into a folder tree", cobra.ExactArgs(1), withRPC(func(cmd *cobra.Command, cl *rpc.Client, args []string) error {
		push.project, push.dir = project, args[0]
		report, err := push.run(cmd, cl)
		if report != nil {
			if perr := printPush(cmd, flags, report); perr != nil && err == nil {
				err = perr
			}
		}
		return err
	}))
	pf := pushCmd.Flags()
	pf.StringVar(&push.path, "path", "", "target folder, e.g. 业务流程/sales/MaxCompute/ods (required)")
	pf.BoolVar(&push.submit, "submit", false, "commit every pushed file whose latest code is not committed")
	pf.BoolVar(&push.createWorkflow, "create-workflow", false, "create the workflow named in --path when it does not exist")
	pf.BoolVar(&push.dryRun, "dry-run", false, "report what would change, change nothing")
	pf.BoolVar(&push.autoParsing, "auto-parsing", true, "parse SQL files' committed code for lineage (AutoParsing); =false turns it off")
	pf.StringArrayVar(&push.types, "type", nil, "map an extension to a FileType code, e.g. --type .hql=227 (repeatable)")
	pf.StringVar(&push.comment, "comment", "pushed by sluice files push", "commit comment with --submit")

	cmd.AddCommand(ls, get, pushCmd, submit, deploy)
	return cmd
}

// typeName shows a FileType code with its name, e.g. "ODPS SQL (10)".
func typeName(code int) string {
	if t, ok := sluice.FileTypeByCode(code); ok {
		return fmt.Sprintf("%s (%d)", t.Name, code)
	}
	return strconv.Itoa(code)
}

// isSQL reports whether files of a type are SQL, the types whose committed code the server parses for
// lineage when AutoParsing is on (the catalogue's SQL dialect, as the core reads it).
func isSQL(code int) bool {
	t, ok := sluice.FileTypeByCode(code)
	return ok && t.SQL != ""
}

func commitState(s int) string {
	if s == 1 {
		return "committed"
	}
	return "draft"
}

func msTime(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return ts(time.UnixMilli(ms))
}

// listAll fetches every page of ListFiles.
func listAll(cmd *cobra.Command, cl *rpc.Client, q url.Values) ([]rpc.File, error) {
	files := []rpc.File{}
	q.Set("PageSize", "100")
	for page := 1; ; page++ {
		q.Set("PageNumber", strconv.Itoa(page))
		p, err := cl.ListFiles(cmd.Context(), q)
		if err != nil {
			return nil, err
		}
		files = append(files, p.Files...)
		if len(p.Files) == 0 || len(files) >= p.TotalCount {
			return files, nil
		}
	}
}

type pushOptions struct {
	project, dir, path, comment                 string
	submit, createWorkflow, dryRun, autoParsing bool
	types                                       []string
}

// pushed is one local file and what push did with it.
type pushed struct {
	Path         string `json:"path"` // relative to DIR, with slashes
	Name         string `json:"name"`
	Folder       string `json:"folder"`
	FileType     int    `json:"fileType,omitempty"`
	Action       string `json:"action"` // created, updated, unchanged, skipped
	FileID       int64  `json:"fileId,omitempty"`
	Submitted    bool   `json:"submitted"`
	DeploymentID int64  `json:"deploymentId,omitempty"`
	Reason       string `json:"reason,omitempty"`
	// AutoParsing is the file's setting after the push, for SQL types only: push sets it (--auto-parsing).
	AutoParsing *bool `json:"autoParsing,omitempty"`
	// Changes says what an update changes: "content", "auto-parsing on", "auto-parsing off".
	Changes []string `json:"changes,omitempty"`

	content string
	commit  int
}

type pushReport struct {
	Project         string         `json:"project"`
	Path            string         `json:"path"`
	DryRun          bool           `json:"dryRun"`
	WorkflowCreated bool           `json:"workflowCreated"`
	Files           []*pushed      `json:"files"`
	Summary         map[string]int `json:"summary"`
}

func (o *pushOptions) extTypes() (map[string]int, error) {
	m := map[string]int{}
	for k, v := range pushTypes {
		m[k] = v
	}
	for _, t := range o.types {
		ext, code, ok := strings.Cut(t, "=")
		n, err := strconv.Atoi(strings.TrimSpace(code))
		if !ok || err != nil || strings.TrimSpace(ext) == "" {
			return nil, fmt.Errorf("--type %q: use ext=code, e.g. .hql=227", t)
		}
		ext = strings.ToLower(strings.TrimSpace(ext))
		if !strings.HasPrefix(ext, ".") {
			ext = "." + ext
		}
		m[ext] = n
	}
	return m, nil
}

// run plans the push (reading DIR and the target folders), refuses conflicts before changing anything,
// then creates, updates and optionally submits.
func (o *pushOptions) run(cmd *cobra.Command, cl *rpc.Client) (*pushReport, error) {
	ctx := cmd.Context()
	base := strings.Trim(strings.TrimSpace(o.path), "/")
	segs := strings.Split(base, "/")
	if base == "" || len(segs) < 3 {
		return nil, errors.New("--path must name a folder: <root>/<workflow>/<kind>[/<dir>...], e.g. 业务流程/sales/MaxCompute/ods")
	}
	types, err := o.extTypes()
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(o.dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", o.dir)
	}
	report := &pushReport{Project: o.project, Path: base, DryRun: o.dryRun, Files: []*pushed{}, Summary: map[string]int{}}

	// Local files, by folder and name.
	byKey := map[string]*pushed{}
	err = filepath.WalkDir(o.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != o.dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(o.dir, p)
		rel = filepath.ToSlash(rel)
		folder := base
		if dir := filepath.ToSlash(filepath.Dir(rel)); dir != "." {
			folder += "/" + dir
		}
		ext := strings.ToLower(filepath.Ext(d.Name()))
		item := &pushed{Path: rel, Name: strings.TrimSuffix(d.Name(), filepath.Ext(d.Name())), Folder: folder}
		report.Files = append(report.Files, item)
		code, ok := types[ext]
		if !ok {
			item.Action, item.Reason = "skipped", "no FileType for extension "+ext+" (use --type)"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		item.FileType, item.content = code, string(b)
		key := folder + "\x00" + item.Name
		if prev, dup := byKey[key]; dup {
			return fmt.Errorf("%s and %s would both be file %q in %s", prev.Path, rel, item.Name, folder)
		}
		byKey[key] = item
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(report.Files, func(i, j int) bool { return report.Files[i].Path < report.Files[j].Path })

	// The workflow must exist.
	wf, err := cl.FindWorkflow(ctx, o.project, segs[1])
	if err != nil {
		return nil, err
	}
	if wf == nil {
		if !o.createWorkflow {
			return nil, fmt.Errorf("workflow %q does not exist in %s: create it, or pass --create-workflow", segs[1], o.project)
		}
		if !o.dryRun {
			if _, err := cl.CreateWorkflow(ctx, o.project, segs[1], ""); err != nil {
				return nil, err
			}
		}
		report.WorkflowCreated = true
	}

	// What is there already, folder by folder.
	folders := map[string]map[string]rpc.File{}
	for _, it := range report.Files {
		if it.Action == "skipped" || folders[it.Folder] != nil {
			continue
		}
		q := rpc.Project(o.project)
		q.Set("FileFolderPath", it.Folder)
		q.Set("NeedContent", "true")
		existing := map[string]rpc.File{}
		files, err := listAll(cmd, cl, q)
		var ae *rpc.Error
		if err != nil && !(errors.As(err, &ae) && ae.Code == "InvalidParameter.NotExist") {
			return nil, fmt.Errorf("list %s: %w", it.Folder, err)
		}
		for _, f := range files {
			existing[f.FileName] = f
		}
		folders[it.Folder] = existing
	}
	// AutoParsing is pushed for SQL types only, the ones the server parses for lineage: on by default, as
	// DataStudio creates them, so that push then submit records lineage.
	apChange := "auto-parsing off"
	if o.autoParsing {
		apChange = "auto-parsing on"
	}
	var conflicts []string
	for _, it := range report.Files {
		if it.Action == "skipped" {
			continue
		}
		if isSQL(it.FileType) {
			it.AutoParsing = &o.autoParsing
		}
		f, ok := folders[it.Folder][it.Name]
		switch {
		case !ok:
			it.Action = "created"
			continue
		case f.FileType != it.FileType:
			conflicts = append(conflicts, fmt.Sprintf("%s: file %q (id %d) has FileType %s, the extension maps to %s", it.Path, it.Name, f.FileID,
				typeName(f.FileType), typeName(it.FileType)))
			continue
		}
		it.FileID, it.commit = f.FileID, f.CommitStatus
		if f.Content != it.content {
			it.Changes = append(it.Changes, "content")
		}
		if it.AutoParsing != nil && f.AutoParsing != o.autoParsing {
			it.Changes = append(it.Changes, apChange)
		}
		it.Action = "unchanged"
		if len(it.Changes) > 0 {
			it.Action = "updated"
		}
	}
	if len(conflicts) > 0 {
		return nil, fmt.Errorf("nothing pushed; type conflicts:\n  %s", strings.Join(conflicts, "\n  "))
	}

	for _, it := range report.Files {
		report.Summary[it.Action]++
		submit := o.submit && (it.Action == "created" || it.Action == "updated" || (it.Action == "unchanged" && it.commit == 0))
		if o.dryRun {
			// The report of a dry run says what would happen, submissions included.
			if submit {
				it.Submitted = true
				report.Summary["submitted"]++
			}
			continue
		}
		switch it.Action {
		case "created":
			q := rpc.Project(o.project)
			q.Set("FileFolderPath", it.Folder)
			q.Set("CreateFolderIfNotExists", "true")
			q.Set("FileName", it.Name)
			q.Set("FileType", strconv.Itoa(it.FileType))
			q.Set("Content", it.content)
			if it.AutoParsing != nil {
				q.Set("AutoParsing", strconv.FormatBool(*it.AutoParsing))
			}
			if it.FileID, err = cl.CreateFile(ctx, q); err != nil {
				return report, fmt.Errorf("create %s: %w", it.Path, err)
			}
		case "updated":
			q := rpc.Project(o.project)
			q.Set("FileId", strconv.FormatInt(it.FileID, 10))
			if slices.Contains(it.Changes, "content") {
				q.Set("Content", it.content)
			}
			if slices.Contains(it.Changes, apChange) {
				q.Set("AutoParsing", strconv.FormatBool(o.autoParsing))
			}
			if err := cl.UpdateFile(ctx, q); err != nil {
				return report, fmt.Errorf("update %s: %w", it.Path, err)
			}
		}
		if submit {
			if it.DeploymentID, err = cl.SubmitFile(ctx, o.project, it.FileID, o.comment); err != nil {
				return report, fmt.Errorf("submit %s: %w", it.Path, err)
			}
			it.Submitted = true
			report.Summary["submitted"]++
		}
	}
	return report, nil
}

// pushWords are what the table says of each action, done or, in a dry run, to be done.
var pushWords = map[string][2]string{
	"created":   {"created", "would create"},
	"updated":   {"updated", "would update"},
	"unchanged": {"unchanged", "unchanged"},
	"skipped":   {"skipped", "would skip"},
}

func printPush(cmd *cobra.Command, flags *clientFlags, r *pushReport) error {
	w := cmd.OutOrStdout()
	if flags.output == "json" {
		return flags.print(w, r, nil, nil)
	}
	tense := 0
	if r.DryRun {
		tense = 1
	}
	rows := make([][]string, 0, len(r.Files))
	for _, f := range r.Files {
		id, dep, typ := "-", "-", "-"
		if f.FileID != 0 {
			id = strconv.FormatInt(f.FileID, 10)
		}
		switch {
		case f.Submitted && r.DryRun:
			dep = "would submit"
		case f.Submitted:
			dep = strconv.FormatInt(f.DeploymentID, 10)
		}
		if f.FileType != 0 {
			typ = typeName(f.FileType)
		}
		action := pushWords[f.Action][tense]
		if f.Reason != "" {
			action += " (" + f.Reason + ")"
		} else if len(f.Changes) > 0 {
			action += " (" + strings.Join(f.Changes, ", ") + ")"
		}
		target := f.Folder + "/" + f.Name
		if f.Action == "skipped" {
			target = "-"
		}
		rows = append(rows, []string{f.Path, target, typ, id, dep, action})
	}
	if err := flags.print(w, r, []string{"LOCAL", "FILE", "TYPE", "ID", "SUBMITTED", "ACTION"}, rows); err != nil {
		return err
	}
	wf := strings.Split(r.Path, "/")[1]
	n := r.Summary
	if r.DryRun {
		if r.WorkflowCreated {
			fmt.Fprintf(w, "dry run: would create workflow %s\n", wf)
		}
		_, err := fmt.Fprintf(w, "dry run: would create %d, update %d, leave %d unchanged, skip %d, submit %d; nothing was changed\n",
			n["created"], n["updated"], n["unchanged"], n["skipped"], n["submitted"])
		return err
	}
	if r.WorkflowCreated {
		fmt.Fprintf(w, "workflow %s created\n", wf)
	}
	_, err := fmt.Fprintf(w, "%d created, %d updated, %d unchanged, %d skipped, %d submitted\n",
		n["created"], n["updated"], n["unchanged"], n["skipped"], n["submitted"])
	return err
}
