package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/sqlstore"
)

// BenchmarkNoncesAtSteadyState measures the nonce store as a server at a steady rate of signed requests
// keeps it: a signature window's worth of live nonces (580,000: 15 minutes at about 650 requests a second),
// 32 callers recording new ones as fast as they can, and every 10 s a purge of a minute's worth (38,666).
// It reports the nonces recorded a second, the longest any caller waited (the purge is what a caller may
// queue behind), the purges' mean duration, and the size of the nonce file's WAL at the end. SQLite only:
// the nonce file and its one connection are SQLite's. Run with
//
//	go test ./sqlstore -run '^$' -bench NoncesAtSteadyState -benchtime 1x
func BenchmarkNoncesAtSteadyState(b *testing.B) {
	const live, workers, purges = 580_000, 32, 3
	window := 15 * time.Minute
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		path := filepath.Join(b.TempDir(), "sluice.db")
		db, err := sqlstore.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		base := time.Now()
		key := func(i int64) string {
			return fmt.Sprintf("acs:LTAI5tQ9xYzAbCdEfGhIjK12:%016x-%08x", uint64(i)*0x9e3779b97f4a7c15, i)
		}
		// The live nonces' expiry times spread over the window, as the requests of the last 15 minutes left them.
		expiry := func(i int64) time.Time { return base.Add(time.Duration(i) * window / live) }
		var seq atomic.Int64
		run := func(until func() bool, wait *[]time.Duration) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for range workers {
				wg.Go(func() {
					var mine []time.Duration
					for until() {
						i := seq.Add(1)
						start := time.Now()
						if _, err := db.UseNonce(ctx, key(i), expiry(i)); err != nil {
							b.Error(err)
							return
						}
						mine = append(mine, time.Since(start))
					}
					mu.Lock()
					*wait = append(*wait, mine...)
					mu.Unlock()
				})
			}
			wg.Wait()
		}
		var fill []time.Duration
		run(func() bool { return seq.Load() < live }, &fill)

		b.StartTimer()
		start := time.Now()
		done := make(chan struct{})
		var waits []time.Duration
		go func() {
			defer close(done)
			run(func() bool { return time.Since(start) < purges*10*time.Second+5*time.Second }, &waits)
		}()
		var purged time.Duration
		for k := 1; k <= purges; k++ {
			time.Sleep(time.Until(start.Add(time.Duration(k) * 10 * time.Second)))
			t := time.Now()
			if _, err := db.PurgeNonces(ctx, base.Add(time.Duration(k)*time.Minute)); err != nil {
				b.Fatal(err)
			}
			purged += time.Since(t)
		}
		<-done
		elapsed := time.Since(start)
		b.StopTimer()
		wal, err := os.Stat(path + sqlstore.NonceFileSuffix + "-wal") // before Close, which removes it
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		b.ReportMetric(float64(len(waits))/elapsed.Seconds(), "nonces/s")
		b.ReportMetric(float64(slices.Max(waits).Milliseconds()), "max-wait-ms")
		b.ReportMetric(float64(purged.Milliseconds())/purges, "purge-ms")
		b.ReportMetric(float64(wal.Size())/(1<<20), "wal-MiB")
	}
}
