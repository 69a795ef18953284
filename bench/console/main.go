// Command console measures the web console on a big project in headless Chromium: the first paint and the
// time until the file list shows, and the search round trip (ListFiles' keyword search behind the page),
// per keyword match-count bucket. run.sh makes the project (bench/files gen) and serves it; this program
// signs in and measures. It prints a Markdown table.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

type keyword struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

type meta struct {
	Keywords []keyword `json:"keywords"`
}

func main() {
	base := flag.String("url", "http://127.0.0.1:18590", "the server")
	user := flag.String("user", "root", "who signs in")
	password := flag.String("password", "", "its password")
	project := flag.String("project", "bench", "the project")
	metaPath := flag.String("meta", "", "bench/files gen's output: the keywords and their match counts")
	iters := flag.Int("iters", 20, "measurements per row")
	chromium := flag.String("chromium", "chromium", "the browser")
	flag.Parse()
	var m meta
	if b, err := os.ReadFile(*metaPath); err != nil {
		log.Fatal(err)
	} else if err := json.Unmarshal(b, &m); err != nil {
		log.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(*chromium), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1280, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	must(chromedp.Do(ctx,
		chromedp.Navigate(*base+"/console/signin"),
		chromedp.SendKeys(chromedp.ID("signin-user"), *user),
		chromedp.SendKeys(chromedp.ID("signin-password"), *password),
		chromedp.Click(chromedp.ID("signin-submit")),
		waitJS(`location.pathname === '/console/' && !!document.querySelector('main table, main p')`, 30*time.Second)))

	filesURL := *base + "/console/projects/" + url.PathEscape(*project) + "/files"
	fmt.Printf("| what | n | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |\n")

	// A fresh page load of the project's files: first contentful paint, and the list on screen.
	var paint, ready []float64
	for range *iters {
		must(chromedp.Do(ctx, chromedp.Navigate(filesURL), waitJS(listReady, 30*time.Second)))
		fcp := eval[float64](ctx, `performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`)
		done := eval[float64](ctx, `window.__listReadyAt ?? performance.now()`)
		paint, ready = append(paint, fcp), append(ready, done)
	}
	row("first contentful paint (files page, fresh load)", paint)
	row("files list shown (fresh load)", ready)

	// Search inside the loaded page, as a user types a name and presses Enter: the router fetches the
	// matching page from the server and shows it with its total.
	buckets := []struct {
		name   string
		lo, hi int
	}{{"≤ 1,000 matches", 1, 1000}, {"1,001–100,000 matches", 1001, 100000}, {"> 100,000 matches", 100001, math.MaxInt}}
	for _, b := range buckets {
		var kws []keyword
		for _, k := range m.Keywords {
			if k.Count >= b.lo && k.Count <= b.hi {
				kws = append(kws, k)
			}
		}
		if len(kws) == 0 {
			continue
		}
		var api, ui []float64
		for i := range *iters {
			k := kws[i%len(kws)]
			api = append(api, eval[float64](ctx, fmt.Sprintf(`(async () => {
				const t0 = performance.now();
				const res = await fetch('/console/api/projects/%s/files?keyword=' + encodeURIComponent(%q) + '&limit=50');
				const page = await res.json();
				if (page.totalCount !== %d) throw new Error('total ' + page.totalCount);
				return performance.now() - t0;
			})()`, url.PathEscape(*project), k.Text, k.Count)))
			total := fmt.Sprintf("%d", k.Count)
			ui = append(ui, eval[float64](ctx, fmt.Sprintf(`(async () => {
				const t0 = performance.now();
				history.pushState(null, '', location.pathname + '?q=' + encodeURIComponent(%q));
				dispatchEvent(new PopStateEvent('popstate'));
				const want = Number(%q).toLocaleString();
				for (;;) {
					const main = document.querySelector('main');
					if (main && main.textContent.includes(%q) && main.textContent.includes('of ' + want)) return performance.now() - t0;
					await new Promise((r) => requestAnimationFrame(r));
				}
			})()`, k.Text, total, k.Text)))
		}
		row("search API round trip, "+b.name, api)
		row("search shown in the page, "+b.name, ui)
	}
}

// listReady is true once the files page shows rows; it records when, for the measurement.
const listReady = `(() => {
	const ok = !!document.querySelector('main table tbody tr, main [data-file-id]');
	if (ok && window.__listReadyAt === undefined) window.__listReadyAt = performance.now();
	return ok;
})()`

func row(what string, ms []float64) {
	slices.Sort(ms)
	q := func(p float64) float64 { return ms[int(math.Ceil(p*float64(len(ms))))-1] }
	fmt.Printf("| %s | %d | %.1f | %.1f | %.1f |\n", what, len(ms), q(0.5), q(0.95), ms[len(ms)-1])
}

func eval[T any](ctx context.Context, expr string) T {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	must(err)
	return v
}

func waitJS(expr string, limit time.Duration) chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](expr)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(limit)
		for {
			ok, err := check(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				return chromedp.Void{}, fmt.Errorf("timed out waiting for %s (last error %v)", strings.TrimSpace(expr), err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
