package console

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// web holds the page, the console's own modules and the vendored libraries (web/vendor, see its fetch.sh).
//
//go:embed web
var web embed.FS

// asset is one embedded file, ready to send: its bytes, gzipped when that saves, and an ETag from its hash so
// a browser revalidates rather than downloads again.
type asset struct {
	body, gzipped []byte
	etag, ctype   string
}

// servedTypes are the kinds of files the console sends; anything else in web/ (scripts that fetch the
// vendored libraries, checksums) is not served.
var servedTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".LICENSE": "text/plain; charset=utf-8",
}

var loadAssets = sync.OnceValue(func() map[string]*asset {
	all := map[string]*asset{}
	_ = fs.WalkDir(web, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := servedTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		body, err := web.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ctype}
		if !strings.HasPrefix(ctype, "image/png") {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			_, _ = zw.Write(body)
			_ = zw.Close()
			if b.Len() < len(body)*9/10 {
				a.gzipped = b.Bytes()
			}
		}
		all[strings.TrimPrefix(p, "web/")] = a
		return nil
	})
	return all
})

// assets serves /console/assets/NAME from web/NAME. They hold no data, so they need no session: the sign-in
// page uses them too.
func assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := loadAssets()[strings.TrimPrefix(r.URL.Path, Prefix+"assets/")]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r, "no-cache")
	})
}

// page serves one of the embedded HTML pages.
func page(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loadAssets()[name].serve(w, r, "no-store")
	})
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request, cache string) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", cache)
	}
	h.Add("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gzipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gzipped
	}
	_, _ = w.Write(body)
}
