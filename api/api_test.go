package api

import (
	"regexp"
	"testing"
)

// A request id is an upper-case version-4 UUID, the shape both vendors' gateways send.
func TestNewRequestID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewRequestID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("NewRequestID = %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
}
