package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
)

// defaultEndpoint is where client commands go when no flag, variable or profile names a server: the
// address `sluice serve` listens on by default.
const defaultEndpoint = "http://127.0.0.1:8080"

// profileFile is the client's configuration file, shaped like the aliyun CLI's ~/.aliyun/config.json: a
// current profile and a list of named profiles.
type profileFile struct {
	Current  string     `json:"current"`
	Profiles []*profile `json:"profiles"`
}

// profile is one named connection: a server and an access key.
type profile struct {
	Name            string `json:"name"`
	Endpoint        string `json:"endpoint,omitempty"` // empty: defaultEndpoint
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
}

// endpointURL lets an endpoint be written host:port, as the SDKs take it; the scheme is then http.
func endpointURL(endpoint string) string {
	if !strings.Contains(endpoint, "://") {
		return "http://" + endpoint
	}
	return endpoint
}

// profilePath is SLUICE_CONFIG_FILE, or ~/.sluice/config.json.
func profilePath() (string, error) {
	if p := os.Getenv(envvar.ConfigFile); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("locate the profile file (set %s): %w", envvar.ConfigFile, err)
	}
	return filepath.Join(home, ".sluice", "config.json"), nil
}

// loadProfiles reads the profile file; a missing file is an empty one.
func loadProfiles(path string) (*profileFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &profileFile{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	var f profileFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("profile file %s: %w", path, err)
	}
	return &f, nil
}

// find returns the named profile, or nil.
func (f *profileFile) find(name string) *profile {
	for _, p := range f.Profiles {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// save writes the file with mode 0600 (it holds secrets), replacing it whole so that a reader never sees
// half of it.
func (f *profileFile) save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save profiles: %w", err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return fmt.Errorf("save profiles: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save profiles: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save profiles: %w", err)
	}
	// CreateTemp makes the file 0600 already; Chmod says so for platforms and umasks that differ.
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// profileName is the profile a command uses: --profile, else SLUICE_PROFILE, else the file's current one,
// else "default". named reports whether the user asked for it by name, which makes its absence an error.
func profileName(flag string, f *profileFile) (name string, named bool) {
	switch {
	case flag != "":
		return flag, true
	case os.Getenv(envvar.Profile) != "":
		return os.Getenv(envvar.Profile), true
	case f.Current != "":
		return f.Current, false
	}
	return "default", false
}

// selectedProfile loads the profile the flags and environment pick; it is empty when none is configured
// and none was asked for by name.
func selectedProfile(flag string) (*profile, error) {
	path, err := profilePath()
	if err != nil {
		if flag == "" && os.Getenv(envvar.Profile) == "" {
			return &profile{}, nil // no home directory: flags and variables alone
		}
		return nil, err
	}
	f, err := loadProfiles(path)
	if err != nil {
		return nil, err
	}
	name, named := profileName(flag, f)
	p := f.find(name)
	if p == nil {
		if named {
			return nil, fmt.Errorf("profile %q is not in %s: run sluice configure --profile %s", name, path, name)
		}
		return &profile{}, nil
	}
	return p, nil
}

// readCredentialsFile reads an access key from the root-credentials file the server writes
// (`export SLUICE_ACCESS_KEY_ID=...` lines, or the older NAME=value lines) or from the JSON
// `sluice key create -o json` prints.
func readCredentialsFile(path string) (id, secret string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("read credentials: %w", err)
	}
	if text := strings.TrimSpace(string(b)); strings.HasPrefix(text, "{") {
		var k struct{ AccessKeyID, AccessKeySecret string }
		if err := json.Unmarshal(b, &k); err != nil {
			return "", "", fmt.Errorf("credentials file %s: %w", path, err)
		}
		id, secret = k.AccessKeyID, k.AccessKeySecret
	} else {
		for _, line := range strings.Split(text, "\n") {
			name, value, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "export "), "=")
			value = strings.Trim(strings.TrimSpace(value), `"'`)
			switch strings.TrimSpace(name) {
			case envvar.AccessKeyID:
				id = value
			case envvar.AccessKeySecret:
				secret = value
			}
		}
	}
	if id == "" || secret == "" {
		return "", "", fmt.Errorf("credentials file %s holds no access key id and secret", path)
	}
	return id, secret, nil
}

// isTerminal reports whether r is an interactive terminal, where configure prompts. Tests replace it.
var isTerminal = func(r io.Reader) bool { return onTerminal(r) }

// onTerminal reports whether v, standard input or an output, is an interactive terminal (not merely a
// character device such as /dev/null).
func onTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// mask shows the last four characters of a secret, as the aliyun CLI's prompts do.
func mask(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}

func newConfigureCommand() *cobra.Command {
	flags := &clientFlags{}
	var credentialsFile string
	cmd := &cobra.Command{
		Use:   "configure [--profile NAME] [--endpoint URL] [--access-key-id ID --access-key-secret SECRET | --credentials-file FILE]",
		Short: "Save a server and an access key as a profile that client commands use",
		Long: `Saves a profile (endpoint and access key) in ~/.sluice/config.json, mode 0600 (` + envvar.ConfigFile + ` names
another file), and makes it the current one. On a terminal it prompts for what no flag gives; an empty
answer keeps the value shown. --credentials-file reads the key from the root-credentials file the server
writes at first start, or from the JSON of "sluice key create -o json".

Client commands take each setting from their flags, else the environment (` + envvar.Endpoint + `,
` + envvar.AccessKeyID + `, ` + envvar.AccessKeySecret + `), else the profile (--profile, else ` + envvar.Profile + `,
else the current one), else the default endpoint ` + defaultEndpoint + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := profilePath()
			if err != nil {
				return err
			}
			file, err := loadProfiles(path)
			if err != nil {
				return err
			}
			name, _ := profileName(flags.profile, file)
			p := file.find(name)
			if p == nil {
				p = &profile{Name: name}
				file.Profiles = append(file.Profiles, p)
			}
			if credentialsFile != "" {
				if p.AccessKeyID, p.AccessKeySecret, err = readCredentialsFile(credentialsFile); err != nil {
					return err
				}
			}
			f := cmd.Flags()
			set := func(flag string, dst *string, v string) {
				if f.Changed(flag) {
					*dst = v
				}
			}
			set("endpoint", &p.Endpoint, flags.endpoint)
			set("access-key-id", &p.AccessKeyID, flags.keyID)
			set("access-key-secret", &p.AccessKeySecret, flags.secret)
			if isTerminal(cmd.InOrStdin()) && !f.Changed("access-key-secret") && credentialsFile == "" {
				if err := prompt(cmd, p); err != nil {
					return err
				}
			}
			if p.AccessKeyID == "" || p.AccessKeySecret == "" {
				return errors.New("no access key: pass --access-key-id and --access-key-secret, or --credentials-file")
			}
			file.Current = name
			if err := file.save(path); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Profile %s saved in %s and made current.\n", name, path)
			// Like the aliyun CLI, check the key at once, so that a typo shows now rather than at the next command.
			// The profile is kept either way: the server may simply not be running yet. The check uses the
			// profile's key as saved, at the server commands will use (SLUICE_ENDPOINT may name it); a key in the
			// environment would win over the profile, so say so.
			cl := &native.Client{Endpoint: flags.endpointFor(p), AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret}
			for _, v := range []string{envvar.AccessKeyID, envvar.AccessKeySecret} {
				if os.Getenv(v) != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), "note: %s is set; it wins over the profile until it is unset\n", v)
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Second)
			defer cancel()
			who, err := cl.Whoami(ctx)
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: could not check the key: %v\n", hint(err))
				return nil
			}
			fmt.Fprintf(w, "Signed in to %s as %s (%s).\n", cl.Endpoint, who.User, who.Role)
			return nil
		},
	}
	flags.register(cmd)
	cmd.PersistentFlags().MarkHidden("output") // configure prints no data
	cmd.Flags().StringVar(&credentialsFile, "credentials-file", "", "read the access key from `FILE`: sluice-data/root-credentials, or saved output of sluice key create -o json")
	return cmd
}

// prompt asks for the endpoint and the key on the terminal, showing current values.
func prompt(cmd *cobra.Command, p *profile) error {
	in := bufio.NewReader(cmd.InOrStdin())
	ask := func(label, shown string, dst *string) error {
		fmt.Fprintf(cmd.OutOrStdout(), "%s [%s]: ", label, shown)
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if v := strings.TrimSpace(line); v != "" {
			*dst = v
		}
		return nil
	}
	endpoint := p.Endpoint
	if endpoint == "" {
		endpoint = defaultEndpoint
	}
	if err := ask("Endpoint", endpoint, &p.Endpoint); err != nil {
		return err
	}
	if err := ask("Access Key Id", p.AccessKeyID, &p.AccessKeyID); err != nil {
		return err
	}
	return ask("Access Key Secret", mask(p.AccessKeySecret), &p.AccessKeySecret)
}
