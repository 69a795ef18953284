package api

import (
	"context"
	"testing"
	"time"
)

func TestMemoryNonceStore(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &MemoryNonceStore{Now: func() time.Time { return now }}
	ctx := context.Background()
	use := func(ak, n string, exp time.Time) bool {
		fresh, err := s.UseNonce(ctx, ak, n, exp)
		if err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	if !use("a", "n", now.Add(time.Minute)) || use("a", "n", now.Add(time.Minute)) {
		t.Fatal("second use of a nonce was fresh")
	}
	if !use("b", "n", now.Add(time.Minute)) {
		t.Fatal("nonces are per access key")
	}
	now = now.Add(2 * time.Minute)
	if !use("a", "n", now.Add(time.Minute)) {
		t.Fatal("an expired nonce was not forgotten")
	}
	for i := range 1000 {
		use("c", string(rune(i)), now.Add(-time.Second))
	}
	if len(s.seen) > 300 {
		t.Errorf("store kept %d expired nonces", len(s.seen))
	}
}
