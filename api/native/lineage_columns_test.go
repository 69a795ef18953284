package native_test

import (
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
)

// TestParseAsOf: the two spellings of a time the column graph takes, and what it refuses.
func TestParseAsOf(t *testing.T) {
	want := time.Date(2026, 12, 1, 8, 0, 0, 250_000_000, time.UTC)
	for _, s := range []string{"2026-12-01T08:00:00.25Z", "2026-12-01T16:00:00.250+08:00", " 1796112000250 "} {
		got, err := native.ParseAsOf(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseAsOf(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "yesterday", "2026-12-01", "2026-12-01 08:00:00", "-5", "99999999999999999999"} {
		if got, err := native.ParseAsOf(s); sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("ParseAsOf(%q) = %v, %v; want EINVALID", s, got, err)
		}
	}
}
