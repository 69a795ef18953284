package openlineage_test

import (
	"bufio"
	"bytes"
	"os"
	"testing"
)

// eventsEnv names a file of events, one JSON object a line, as `sluice lineage export --format openlineage`
// writes them; the end-to-end export test sets it to check what the built binary printed against the spec.
const eventsEnv = "SLUICE_TEST_OPENLINEAGE_EVENTS"

// TestSpec_EventsFile validates every line of the file eventsEnv names against the spec (mustSpec); it skips
// without the file.
func TestSpec_EventsFile(t *testing.T) {
	path := os.Getenv(eventsEnv)
	if path == "" {
		t.Skipf("%s is not set: no exported events to validate", eventsEnv)
	}
	s := mustSpec(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, len(b)+1) // an event carries its whole script: a line may be long
	n := 0
	for ; sc.Scan(); n++ {
		s.validate(t, sc.Bytes())
	}
	if err := sc.Err(); err != nil || n == 0 {
		t.Fatalf("%s: %d events, %v", path, n, err)
	}
}
