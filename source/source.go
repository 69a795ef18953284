// Package source opens the bytes an upload names, under the operator's policy, as sluice.SourceOpener:
//
//	obs://BUCKET/KEY, s3://BUCKET/KEY  an object of the operator's S3-compatible store (Policy.S3); the
//	                                   key is taken as written, up to the end of the string
//	https://HOST/..., http://HOST/...  only hosts the operator allows (Policy.AllowHosts); redirects only
//	                                   to the same host name; never a private, loopback or link-local
//	                                   address unless that host is allowed to be one (Policy.AllowPrivateHosts)
//	file:///PATH                       only inside an import directory (Policy.ImportRoots), without ".."
//	                                   and without symlinks leading out of it
//
// Anything else is refused. A refused or malformed source is sluice.EINVALID and a missing object or
// file sluice.ENOTFOUND, each with a message for the uploader.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"code.dny.dev/ssrf"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob/s3blob"
	"gocloud.dev/gcerrors"

	"github.com/sluice-dev/sluice"
	sluices3 "github.com/sluice-dev/sluice/blob/s3blob"
)

// Policy is what the operator allows uploads to read.
type Policy struct {
	// S3 configures the S3-compatible store obs:// and s3:// sources are read from: the query options
	// of an s3:// blob store URL (endpoint=...&region=...&use_path_style=true&access_key_id=...; see
	// s3blob.ClientOptions), plus buckets=a,b to allow only those buckets. Empty refuses obs:// and s3://.
	S3 string
	// AllowHosts are the web hosts http(s) sources may name: "host" (any port), "host:port", or
	// "*.example.com" for any subdomain. Their addresses must be public.
	AllowHosts []string
	// AllowPrivateHosts are allowed hosts (same forms) that may also be at private, loopback or
	// link-local addresses: an internal artifact server, a test server.
	AllowPrivateHosts []string
	// ImportRoots are the directories file:// sources may read from.
	ImportRoots []string
}

// Opener implements sluice.SourceOpener for a Policy.
type Opener struct {
	s3      *s3.Client // nil: obs:// and s3:// refused
	buckets []string   // allowed buckets; empty: any
	hosts   []hostRule
	private []hostRule
	roots   []importRoot
	client  *http.Client
}

var _ sluice.SourceOpener = (*Opener)(nil)

type hostRule struct {
	host string // lower case; "*.example.com" matches subdomains of example.com
	port string // "" matches any
}

type importRoot struct {
	abs  string // as configured, made absolute and clean
	real string // with symlinks resolved
}

// New checks p and prepares an Opener. It fails on a malformed host, a missing import directory or an
// S3 configuration without credentials, so that a server refuses to start with a policy it cannot keep.
func New(ctx context.Context, p Policy) (*Opener, error) {
	o := &Opener{}
	var err error
	if o.hosts, err = parseHosts(p.AllowHosts); err != nil {
		return nil, err
	}
	if o.private, err = parseHosts(p.AllowPrivateHosts); err != nil {
		return nil, err
	}
	for _, r := range p.ImportRoots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("import root %q: %w", r, err)
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("import root %q: %w", r, err)
		}
		if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("import root %q is not a directory", r)
		}
		o.roots = append(o.roots, importRoot{abs: abs, real: real})
	}
	if p.S3 != "" {
		q, err := url.ParseQuery(strings.TrimPrefix(p.S3, "?"))
		if err != nil {
			return nil, fmt.Errorf("import S3 options: %w", err)
		}
		if b := q.Get("buckets"); b != "" {
			o.buckets = strings.Split(b, ",")
		}
		q.Del("buckets")
		if o.s3, err = sluices3.NewClient(ctx, q); err != nil {
			return nil, fmt.Errorf("import S3 options: %w", err)
		}
	}
	guard := ssrf.New(ssrf.WithAnyPort())
	dialer := func(safe bool) *net.Dialer {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if safe {
			// The check runs on the address actually dialled, after name resolution, so a name that
			// resolves (or re-resolves) to an internal address is refused too.
			d.Control = guard.Safe
		}
		return d
	}
	guarded, open := dialer(true), dialer(false)
	transport := &http.Transport{
		Proxy: nil, // a proxy would dial on our behalf, out of reach of the address check
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if matchHost(o.private, host, port) {
				return open.DialContext(ctx, network, addr)
			}
			return guarded.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: time.Minute,
		IdleConnTimeout:       90 * time.Second,
		// The bytes are kept exactly as served: no transparent gzip decoding.
		DisableCompression: true,
	}
	o.client = &http.Client{Transport: transport, CheckRedirect: o.checkRedirect}
	return o, nil
}

func parseHosts(entries []string) ([]hostRule, error) {
	var rules []hostRule
	for _, e := range entries {
		e = strings.TrimSpace(strings.ToLower(e))
		if e == "" {
			continue
		}
		bad := fmt.Errorf("allowed host %q: want host, host:port or *.domain", e)
		if strings.ContainsAny(e, "/?#@ ") {
			return nil, bad
		}
		r := hostRule{host: e}
		if h, p, err := net.SplitHostPort(e); err == nil {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return nil, bad
			}
			r.host, r.port = h, p
		}
		r.host = strings.Trim(r.host, "[]")
		if bare := strings.TrimPrefix(r.host, "*."); bare == "" || strings.Contains(bare, "*") {
			return nil, bad
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func matchHost(rules []hostRule, host, port string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, r := range rules {
		if r.port != "" && r.port != port {
			continue
		}
		if r.host == host || (strings.HasPrefix(r.host, "*.") && strings.HasSuffix(host, r.host[1:])) {
			return true
		}
	}
	return false
}

// OpenSource opens rawURL's bytes; see the package comment. The size is -1 when the source does not say.
func (o *Opener) OpenSource(ctx context.Context, rawURL string) (io.ReadCloser, int64, error) {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: want obs://, s3://, https://, http:// or file://", rawURL)
	}
	switch strings.ToLower(scheme) {
	case "obs", "s3":
		return o.openS3(ctx, rawURL)
	case "http", "https":
		return o.openHTTP(ctx, rawURL)
	case "file":
		return o.openFile(rawURL)
	}
	return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: scheme %q is not supported (obs, s3, https, http, file)", rawURL, scheme)
}

// openS3 reads obs://bucket/key or s3://bucket/key. The key is everything after the bucket, as written:
// object keys may hold "%", "#" or "?", and DLI's paths are not URL-encoded.
func (o *Opener) openS3(ctx context.Context, raw string) (io.ReadCloser, int64, error) {
	_, rest, _ := strings.Cut(raw, "://")
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" || key == "" || strings.HasSuffix(key, "/") {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: want %s://bucket/key naming an object", raw, raw[:strings.Index(raw, ":")])
	}
	if o.s3 == nil {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: this server reads no object store (the operator sets --import-s3)", raw)
	}
	if len(o.buckets) > 0 && !slices.Contains(o.buckets, bucket) {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: bucket %q is not one the server may read", raw, bucket)
	}
	b, err := s3blob.OpenBucket(ctx, o.s3, bucket, &s3blob.Options{RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
	if err != nil {
		return nil, 0, fmt.Errorf("source %q: %w", raw, err)
	}
	r, err := b.NewReader(ctx, key, nil)
	if err != nil {
		b.Close()
		switch gcerrors.Code(err) {
		case gcerrors.NotFound:
			return nil, 0, &sluice.Error{Code: sluice.ENOTFOUND, Message: fmt.Sprintf("source %q: no such object", raw), Err: err}
		case gcerrors.PermissionDenied:
			return nil, 0, &sluice.Error{Code: sluice.EINVALID, Message: fmt.Sprintf("source %q: the server may not read it", raw), Err: err}
		}
		return nil, 0, fmt.Errorf("source %q: %w", raw, err)
	}
	return &closeBoth{ReadCloser: r, also: b.Close}, r.Size(), nil
}

type closeBoth struct {
	io.ReadCloser
	also func() error
}

func (c *closeBoth) Close() error {
	err := c.ReadCloser.Close()
	if err2 := c.also(); err == nil {
		err = err2
	}
	return err
}

// openHTTP fetches an http(s) URL from an allowed host.
func (o *Opener) openHTTP(ctx context.Context, raw string) (io.ReadCloser, int64, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q is not a valid URL", raw)
	}
	shown := display(u)
	if err := o.checkHost(u); err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %s is not a valid URL", shown)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		var serr *sluice.Error
		switch {
		case errors.As(err, &serr):
			return nil, 0, serr
		case errors.Is(err, ssrf.ErrProhibitedIP), errors.Is(err, ssrf.ErrProhibitedNetwork):
			return nil, 0, &sluice.Error{Code: sluice.EINVALID, Err: err, Message: fmt.Sprintf(
				"source %s: the host is at a private, loopback or link-local address, which the server may not fetch from", shown)}
		case ctx.Err() != nil:
			return nil, 0, ctx.Err()
		}
		return nil, 0, &sluice.Error{Code: sluice.EINVALID, Err: err, Message: fmt.Sprintf("source %s: cannot fetch it: %s", shown, netReason(err))}
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp.Body, resp.ContentLength, nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		return nil, 0, sluice.Errorf(sluice.ENOTFOUND, "source %s: not found (HTTP %d)", shown, resp.StatusCode)
	default:
		resp.Body.Close()
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %s: the host answered HTTP %d", shown, resp.StatusCode)
	}
}

// display is u without its query and credentials, which may hold secrets (a presigned URL's signature).
func display(u *url.URL) string {
	v := *u
	v.User, v.RawQuery, v.ForceQuery, v.Fragment, v.RawFragment = nil, "", false, "", ""
	return v.String()
}

// netReason is the end of a network error's chain, without the request's URL in front.
func netReason(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return err.Error()
}

func (o *Opener) checkHost(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return sluice.Errorf(sluice.EINVALID, "source %s: only http and https may be fetched", display(u))
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if !matchHost(o.hosts, u.Hostname(), port) && !matchHost(o.private, u.Hostname(), port) {
		return sluice.Errorf(sluice.EINVALID, "source %s: host %q is not one the server may fetch from (the operator allows hosts with --fetch-allow-host)", display(u), u.Host)
	}
	return nil
}

// checkRedirect follows a redirect only to the same host name (another port or https is fine when
// allowed too), never from https down to http, and at most 5 times.
func (o *Opener) checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	switch {
	case len(via) >= 5:
		return sluice.Errorf(sluice.EINVALID, "source %s: more than 5 redirects", display(first))
	case !strings.EqualFold(req.URL.Hostname(), first.Hostname()):
		return sluice.Errorf(sluice.EINVALID, "source %s: redirects to another host (%s), which the server does not follow", display(first), req.URL.Hostname())
	case via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https":
		return sluice.Errorf(sluice.EINVALID, "source %s: redirects from https to http, which the server does not follow", display(first))
	}
	return o.checkHost(req.URL)
}

// openFile opens file:///path inside an import root.
func (o *Opener) openFile(raw string) (io.ReadCloser, int64, error) {
	invalid := func(why string) (io.ReadCloser, int64, error) {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "source %q: %s", raw, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return invalid("not a valid file URL")
	}
	if u.Host != "" && u.Host != "localhost" {
		return invalid("a file URL names a path on this server: file:///path")
	}
	if u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || u.RawQuery != "" {
		return invalid("want file:///absolute/path")
	}
	if slices.Contains(strings.Split(u.Path, "/"), "..") {
		return invalid(`".." is not allowed in a path`)
	}
	path := filepath.Clean(filepath.FromSlash(u.Path))
	var root *importRoot
	for i := range o.roots {
		if within(path, o.roots[i].abs) || within(path, o.roots[i].real) {
			root = &o.roots[i]
			break
		}
	}
	if root == nil {
		return invalid("not inside a directory the server may import from (the operator sets --import-root)")
	}
	// Resolve every symlink on the way and check where the path really leads.
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, &sluice.Error{Code: sluice.ENOTFOUND, Message: fmt.Sprintf("source %q: no such file", raw), Err: err}
	}
	if err != nil {
		return nil, 0, &sluice.Error{Code: sluice.EINVALID, Message: fmt.Sprintf("source %q: cannot be read", raw), Err: err}
	}
	if !within(real, root.real) {
		return invalid("a symbolic link leads outside the import directory")
	}
	rel, err := filepath.Rel(root.real, real)
	if err != nil {
		return invalid("not inside the import directory")
	}
	// os.Root opens the file without leaving the directory, even if the tree changed since the check.
	r, err := os.OpenRoot(root.real)
	if err != nil {
		return nil, 0, fmt.Errorf("import root %s: %w", root.real, err)
	}
	defer r.Close()
	f, err := r.OpenFile(rel, os.O_RDONLY|openNonBlock, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, &sluice.Error{Code: sluice.ENOTFOUND, Message: fmt.Sprintf("source %q: no such file", raw), Err: err}
	}
	if err != nil {
		return nil, 0, &sluice.Error{Code: sluice.EINVALID, Message: fmt.Sprintf("source %q: cannot be read", raw), Err: err}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("source %q: %w", raw, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return invalid("not a regular file")
	}
	return f, fi.Size(), nil
}

// within reports whether path is dir or below it (both clean and absolute).
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(path, dir)
}
