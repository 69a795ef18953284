package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
)

// fakeTerminal makes standard input a terminal whose no-echo reads answer lines in turn.
func fakeTerminal(t *testing.T, lines ...string) {
	t.Helper()
	prevTerminal, prevRead := isTerminal, readPassword
	isTerminal = func(io.Reader) bool { return true }
	readPassword = func(io.Reader) (string, error) {
		if len(lines) == 0 {
			return "", io.EOF
		}
		line := lines[0]
		lines = lines[1:]
		return line, nil
	}
	t.Cleanup(func() { isTerminal, readPassword = prevTerminal, prevRead })
}

func TestUserPasswd(t *testing.T) {
	srv := sqlEnv(t)
	ctx := context.Background()
	if _, stderr, err := execute(t, "user", "create", "alice"); err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}
	signIn := func(password string) error {
		_, err := srv.Server.Core.SignIn(ctx, "alice", password, "127.0.0.1")
		return err
	}

	t.Run("Stdin", func(t *testing.T) {
		out, stderr, err := executeWithInput(t, "alice password with spaces \r\nignored\n", "user", "passwd", "alice", "--password-stdin")
		if err != nil {
			t.Fatalf("user passwd: %v\n%s", err, stderr)
		}
		if !strings.Contains(out, "alice") {
			t.Errorf("output %q", out)
		}
		if err := signIn("alice password with spaces "); err != nil {
			t.Fatalf("SignIn with the new password: %v", err)
		}
	})
	t.Run("Terminal", func(t *testing.T) {
		fakeTerminal(t, "typed-twice", "typed-twice")
		_, stderr, err := execute(t, "user", "passwd", "alice")
		if err != nil {
			t.Fatalf("user passwd: %v\n%s", err, stderr)
		}
		if !strings.Contains(stderr, "New password: ") || !strings.Contains(stderr, "Repeat the new password: ") {
			t.Errorf("prompts %q", stderr)
		}
		if err := signIn("typed-twice"); err != nil {
			t.Fatalf("SignIn with the new password: %v", err)
		}
	})
	t.Run("ErrMismatch", func(t *testing.T) {
		fakeTerminal(t, "first-answer", "second-answer")
		_, _, err := execute(t, "user", "passwd", "alice")
		if err == nil || !strings.Contains(err.Error(), "do not match") {
			t.Fatalf("mismatched passwords: %v", err)
		}
		if err := signIn("typed-twice"); err != nil {
			t.Fatalf("the password changed after a mismatch: %v", err)
		}
	})
	t.Run("ErrNotTerminal", func(t *testing.T) {
		_, _, err := executeWithInput(t, "piped\n", "user", "passwd", "alice")
		if err == nil || !strings.Contains(err.Error(), "--password-stdin") {
			t.Fatalf("piped without --password-stdin: %v", err)
		}
		_, _, err = executeWithInput(t, "", "user", "passwd", "alice", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "no password") {
			t.Fatalf("empty standard input: %v", err)
		}
	})
	t.Run("ErrServer", func(t *testing.T) {
		_, _, err := executeWithInput(t, "short\n", "user", "passwd", "alice", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "8 to 72 bytes") {
			t.Fatalf("short password: %v", err)
		}
		_, _, err = executeWithInput(t, "long-enough\n", "user", "passwd", "nobody", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "NotFound") && !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("unknown user: %v", err)
		}
		if _, err := srv.Server.Core.SignIn(ctx, "alice", "short", "127.0.0.1"); sluice.ErrorCode(err) != sluice.EUNAUTHENTICATED {
			t.Fatalf("SignIn with the refused password: %v", err)
		}
	})
}
