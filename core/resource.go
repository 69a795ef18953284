package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/sluice-dev/sluice"
)

var _ sluice.ResourceService = (*Service)(nil)

// The name rules of the resource centre (DLI's, which MaxCompute's resource names also satisfy): the
// characters here, the lengths in the checks below. A counted repetition of a Unicode class would compile
// into a program of megabytes (a copy of the class per count), built at every start.
var (
	resourceNameRE = regexp.MustCompile(`^[A-Za-z0-9_!.-]+$`)
	groupNameRE    = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	tagKeyRE       = regexp.MustCompile(`^[\p{L}\p{N} _.:+\-@=]+$`)
	tagValueRE     = regexp.MustCompile(`^[\p{L}\p{N} _.:+\-@=/]*$`)
)

const (
	maxUploadSources = 100
	maxResourceTags  = 20

	// uploadJob is the kind of job that copies an upload's bytes in.
	uploadJob = "resource-upload"
	// DefaultJobLease is how long a claimed job stays with its server without a renewal: a server that
	// dies leaves its jobs to the others (or to itself, restarted) after this long.
	DefaultJobLease = 30 * time.Second
	// maxUploadAttempts bounds the claims of one upload job: an upload interrupted this often is FAILED.
	maxUploadAttempts = 3
)

func checkResourceName(name string) error {
	if len(name) > 128 || !resourceNameRE.MatchString(name) || strings.HasPrefix(name, ".") {
		return sluice.Errorf(sluice.EINVALID, "The resource name %q is invalid: use at most 128 letters, digits and _ ! - ., not starting with '.'.", name)
	}
	return nil
}

func checkKind(kind sluice.ResourceKind) error {
	if !slices.Contains(sluice.ResourceKinds, kind) {
		return sluice.Errorf(sluice.EINVALID, "The kind %q is invalid: use jar, pyFile, file or modelFile.", kind)
	}
	return nil
}

// errNoBlobs refuses resource work on a server built without a blob store (an embedding that set none).
func errNoBlobs() error {
	return sluice.Errorf(sluice.EINVALID, "This server keeps no resources: it has no blob store.")
}

func checkGroupName(group string) error {
	if group != "" && (len(group) > 64 || !groupNameRE.MatchString(group)) {
		return sluice.Errorf(sluice.EINVALID, "The group name %q is invalid: use at most 64 letters, digits and . _ -.", group)
	}
	return nil
}

func checkTags(tags []sluice.Tag) error {
	if len(tags) > maxResourceTags {
		return sluice.Errorf(sluice.EINVALID, "At most %d tags may be set; %d were given.", maxResourceTags, len(tags))
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case utf8.RuneCountInString(t.Key) > 128 || !tagKeyRE.MatchString(t.Key) || strings.TrimSpace(t.Key) != t.Key ||
			strings.HasPrefix(t.Key, "_sys_"):
			return sluice.Errorf(sluice.EINVALID, "The tag key %q is invalid: use 1 to 128 letters, digits, spaces and _ . : + - @, not starting with _sys_ nor with a space.", t.Key)
		case utf8.RuneCountInString(t.Value) > 255 || !tagValueRE.MatchString(t.Value) || strings.TrimSpace(t.Value) != t.Value:
			return sluice.Errorf(sluice.EINVALID, "The value of tag %q is invalid: use at most 255 letters, digits, spaces and _ . : + - @ /.", t.Key)
		case seen[t.Key]:
			return sluice.Errorf(sluice.EINVALID, "The tag key %q is given twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// sourceName is the resource name an upload source gives: the last segment of its path.
func sourceName(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "", sluice.Errorf(sluice.EINVALID, "The path %q is not a URL (obs://, s3://, https://, http:// or file://).", raw)
	}
	p := u.Path
	if u.Scheme == "obs" || u.Scheme == "s3" {
		p = u.Host + "/" + strings.TrimPrefix(u.Path, "/")
	}
	name := path.Base(strings.TrimSuffix(p, "/"))
	if name == "." || name == "/" || name == "" {
		return "", sluice.Errorf(sluice.EINVALID, "The path %q names no file.", raw)
	}
	return name, checkResourceName(name)
}

// blobKey is where a resource's bytes are kept: one key per upload of it, so a replacement never
// overwrites the bytes it replaces before it is complete.
func blobKey(projectID int64, underlying string) string {
	return fmt.Sprintf("resources/%d/%s", projectID, underlying)
}

// uploadPayload is an upload job's payload: the resources it copies, found by name and upload id.
type uploadPayload struct {
	ProjectID int64    `json:"project_id"`
	Group     string   `json:"group"`
	Names     []string `json:"names"`
	Upload    string   `json:"upload"` // the request's uuid, the prefix of every underlying name
}

// resourceOwner is the owner of new resources: the named user, or the caller.
func (s *Service) resourceOwner(ctx context.Context, p *sluice.Project, name string, caller *sluice.User) (string, error) {
	if name == "" || name == caller.Name {
		return caller.Name, nil
	}
	u, err := s.store.FindUserByName(ctx, name)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND || (err == nil && u.AccountID != p.AccountID) {
		return "", sluice.Errorf(sluice.ENOTFOUND, "No such user: %s.", name)
	}
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// UploadResources opens every source first, so that a path outside the allowed sources or an object that
// does not exist refuses the whole upload with nothing changed; then records the resources UPLOADING with
// the job that copies them, and (synchronously) copies them itself, holding the job's lease, or
// (asynchronously) answers at once and leaves the job to whichever server claims it.
func (s *Service) UploadResources(ctx context.Context, ref sluice.ProjectRef, up sluice.ResourceUpload) (*sluice.ResourceGroup, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if s.Blobs == nil || s.Sources == nil {
		return nil, errNoBlobs()
	}
	switch {
	case len(up.Sources) == 0:
		return nil, sluice.Errorf(sluice.EINVALID, "Name at least one path to upload.")
	case len(up.Sources) > maxUploadSources:
		return nil, sluice.Errorf(sluice.EINVALID, "At most %d paths may be uploaded at once.", maxUploadSources)
	}
	if err := checkKind(up.Kind); err != nil {
		return nil, err
	}
	if err := checkGroupName(up.Group); err != nil {
		return nil, err
	}
	if err := checkTags(up.Tags); err != nil {
		return nil, err
	}
	owner, err := s.resourceOwner(ctx, p, up.Owner, u)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(up.Sources))
	for i, src := range up.Sources {
		if names[i], err = sourceName(src); err != nil {
			return nil, err
		}
		if slices.Contains(names[:i], names[i]) {
			return nil, sluice.Errorf(sluice.EINVALID, "Two paths name the resource %q.", names[i])
		}
	}
	bodies := make([]source, len(up.Sources))
	defer func() {
		for _, b := range bodies {
			if b.body != nil {
				b.body.Close()
			}
		}
	}()
	for i, src := range up.Sources {
		if bodies[i].body, bodies[i].size, err = s.Sources.OpenSource(ctx, src); err != nil {
			return nil, err
		}
		if up.Async { // the job opens it again when it runs
			bodies[i].body.Close()
			bodies[i].body = nil
		}
	}

	id := uuid.NewString()
	var g *sluice.ResourceGroup
	if up.Group != "" {
		g = &sluice.ResourceGroup{Name: up.Group, Owner: owner, Async: up.Async}
	}
	rs := make([]*sluice.Resource, len(names))
	for i, name := range names {
		underlying := id + "_" + name
		rs[i] = &sluice.Resource{Name: name, Kind: up.Kind, Status: sluice.UploadUploading, UnderlyingName: underlying,
			Owner: owner, Source: up.Sources[i], Async: up.Async, BlobKey: blobKey(p.ID, underlying), Tags: up.Tags}
	}
	payload, _ := json.Marshal(uploadPayload{ProjectID: p.ID, Group: up.Group, Names: names, Upload: id})
	job := &sluice.Job{Kind: uploadJob, Payload: string(payload)}
	if !up.Async { // this request copies; the lease keeps other servers off unless it dies
		job.LeaseOwner, job.LeaseUntil, job.Attempts = s.Instance, s.now().Add(s.JobLease), 1
	}
	ue := entry("UploadResources", "resource", strings.Join(names, ","), up.Group, "")
	if up.Group != "" {
		ue.Detail = "group " + up.Group
	}
	replaced, err := s.store.CreateUpload(audited(ctx, p, ue), p.ID, g, rs, job)
	if err != nil {
		return nil, err
	}
	// The replaced bytes go now, not after the copy: a server that dies while copying would otherwise leave
	// them held by no resource (its job resumes the copy, but knows nothing of what was replaced).
	s.dropBlobs(context.WithoutCancel(ctx), replaced)
	if !up.Async {
		// The copy finishes even if the caller goes away: its bytes are already on their way.
		ctx := context.WithoutCancel(ctx)
		stop := s.holdLease(ctx, job)
		for i, r := range rs {
			s.copyIn(ctx, r, bodies[i].body, bodies[i].size)
		}
		stop()
		if err := s.store.DeleteJob(ctx, job.ID); err != nil {
			slog.WarnContext(ctx, "upload job left behind", "job", job.ID, "err", err)
		}
	}
	if g == nil {
		g = &sluice.ResourceGroup{ProjectID: p.ID, Owner: owner, Async: up.Async}
	}
	g.Resources = rs
	return g, nil
}

type source struct {
	body io.ReadCloser
	size int64
}

// copyIn streams body into r's blob and records how it ended. A resource replaced or deleted while it was
// copied keeps nothing: the bytes just written are removed.
func (s *Service) copyIn(ctx context.Context, r *sluice.Resource, body io.Reader, size int64) {
	info, err := s.Blobs.Put(ctx, r.BlobKey, body, size)
	if err != nil { // nothing was published
		s.fail(ctx, r, copyFailure(ctx, r, err))
		return
	}
	r.Status, r.Reason, r.Size, r.SHA256 = sluice.UploadReady, "", info.Size, info.SHA256
	kept, ferr := s.store.FinishResource(ctx, r)
	if ferr != nil {
		// The record stays UPLOADING with the job, which a server will claim again and finish.
		slog.ErrorContext(ctx, "recording an upload's end failed", "resource", r.ID, "err", ferr)
		return
	}
	if !kept {
		s.dropBlobs(ctx, []*sluice.Resource{r})
	}
}

// copyFailure is the reason a FAILED resource shows: the error's message when it is the caller's to see,
// otherwise a plain statement (the cause goes to the log).
func copyFailure(ctx context.Context, r *sluice.Resource, err error) string {
	if code := sluice.ErrorCode(err); code != sluice.EINTERNAL {
		return sluice.ErrorMessage(err)
	}
	slog.ErrorContext(ctx, "copying a resource's bytes failed", "resource", r.ID, "source", r.Source, "err", err)
	return fmt.Sprintf("Copying %s failed.", r.Source)
}

// dropBlobs removes the bytes of resources that no longer hold them. A failure leaves an orphan for the
// sweep to find.
func (s *Service) dropBlobs(ctx context.Context, rs []*sluice.Resource) {
	for _, r := range rs {
		if r.BlobKey == "" {
			continue
		}
		if err := s.Blobs.Delete(ctx, r.BlobKey); err != nil {
			slog.WarnContext(ctx, "removing a resource's bytes failed; the sweep will find them", "key", r.BlobKey, "err", err)
		}
	}
}

// holdLease renews a job's lease until stop is called.
func (s *Service) holdLease(ctx context.Context, j *sluice.Job) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.JobLease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.store.ExtendJob(ctx, j.ID, s.Instance, s.JobLease); err != nil && ctx.Err() == nil {
					slog.WarnContext(ctx, "renewing a job's lease failed", "job", j.ID, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// RunJobs claims and runs jobs until ctx ends: uploads left by asynchronous requests and lineage
// announcements of committed versions, including those whose server died before finishing them. Every
// server of a database may run it.
func (s *Service) RunJobs(ctx context.Context, poll time.Duration) {
	for {
		ran, err := s.RunJob(ctx)
		if err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "running a job failed", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

// RunJob claims one free job — an upload, else a lineage announcement — and runs it to its end, reporting
// whether there was one.
func (s *Service) RunJob(ctx context.Context) (bool, error) {
	ran, err := s.runUploadJob(ctx)
	if ran || err != nil {
		return ran, err
	}
	return s.runLineageEventJob(ctx)
}

// runUploadJob claims one free upload job and runs it to its end, reporting whether there was one.
func (s *Service) runUploadJob(ctx context.Context) (bool, error) {
	if s.Blobs == nil || s.Sources == nil {
		return false, nil
	}
	j, err := s.store.ClaimJob(ctx, uploadJob, s.Instance, s.JobLease)
	if err != nil || j == nil {
		return false, err
	}
	stop := s.holdLease(ctx, j)
	defer stop()
	var p uploadPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return true, errors.Join(fmt.Errorf("job %d: payload: %w", j.ID, err), s.store.DeleteJob(ctx, j.ID))
	}
	for _, name := range p.Names {
		r, err := s.store.FindResource(ctx, p.ProjectID, p.Group, name)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			continue // deleted since
		}
		if err != nil {
			return true, err // the job stays; its lease runs out and it is tried again
		}
		if r.UnderlyingName != p.Upload+"_"+name || r.Status != sluice.UploadUploading {
			continue // replaced since, or already ended before an interruption
		}
		if j.Attempts > maxUploadAttempts {
			s.fail(ctx, r, fmt.Sprintf("The upload was interrupted %d times.", maxUploadAttempts))
		} else if body, size, err := s.Sources.OpenSource(ctx, r.Source); err != nil {
			s.fail(ctx, r, copyFailure(ctx, r, err))
		} else {
			s.copyIn(ctx, r, body, size)
			body.Close()
		}
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
	}
	return true, s.store.DeleteJob(ctx, j.ID)
}

// fail records that a resource's upload ended without its bytes. A record that is no longer this upload's
// (replaced or deleted meanwhile) is left as it is.
func (s *Service) fail(ctx context.Context, r *sluice.Resource, reason string) {
	r.Status, r.Reason, r.Size, r.SHA256 = sluice.UploadFailed, reason, 0, ""
	if _, err := s.store.FinishResource(ctx, r); err != nil {
		slog.ErrorContext(ctx, "recording a failed upload failed", "resource", r.ID, "err", err)
	}
}

// PutResource stores bytes the caller streams as a resource. The bytes go to the blob store first, under a
// key of their own; only once they are complete and durable is the resource recorded READY, replacing any
// of its name at once. A stream that fails or is cut off changes nothing (the sweep finds bytes a crash
// between the two steps leaves).
func (s *Service) PutResource(ctx context.Context, ref sluice.ProjectRef, in sluice.Resource, body io.Reader) (*sluice.Resource, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if s.Blobs == nil {
		return nil, errNoBlobs()
	}
	if err := checkKind(in.Kind); err != nil {
		return nil, err
	}
	if err := checkResourceName(in.Name); err != nil {
		return nil, err
	}
	if err := checkGroupName(in.Group); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	owner, err := s.resourceOwner(ctx, p, in.Owner, u)
	if err != nil {
		return nil, err
	}
	underlying := uuid.NewString() + "_" + in.Name
	r := &sluice.Resource{Name: in.Name, Kind: in.Kind, Status: sluice.UploadReady, UnderlyingName: underlying, Owner: owner,
		Source: "upload:" + u.Name, BlobKey: blobKey(p.ID, underlying), Tags: in.Tags}
	info, err := s.Blobs.Put(ctx, r.BlobKey, body, in.Size)
	if err != nil {
		return nil, err
	}
	if in.SHA256 != "" && info.SHA256 != in.SHA256 {
		s.dropBlobs(context.WithoutCancel(ctx), []*sluice.Resource{r})
		return nil, sluice.Errorf(sluice.EINVALID, "The bytes received have the SHA-256 %s, not the %s declared.", info.SHA256, in.SHA256)
	}
	r.Size, r.SHA256 = info.Size, info.SHA256
	var g *sluice.ResourceGroup
	if in.Group != "" {
		g = &sluice.ResourceGroup{Name: in.Group, Owner: owner}
	}
	ctx = context.WithoutCancel(ctx) // the bytes are in: record them even if the caller went away
	pe := entry("PutResource", "resource", r.Name, in.Group, "")
	replaced, err := s.store.CreateUpload(audited(ctx, p, pe), p.ID, g, []*sluice.Resource{r}, nil)
	if err != nil {
		s.dropBlobs(ctx, []*sluice.Resource{r})
		return nil, err
	}
	s.dropBlobs(ctx, replaced)
	return r, nil
}

// FindResources lists a project's resource centre: ungrouped resources, groups with theirs (groups left
// empty by the filter are left out) and the built-in modules. A project's whole listing is read once per
// resource version and kept: reading 100,000 rows costs far more than asking whether the version moved.
func (s *Service) FindResources(ctx context.Context, ref sluice.ProjectRef, f sluice.ResourceFilter) (*sluice.ResourceListing, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	all, err := s.resourceListing(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if f.Kind == "" && len(f.Tags) == 0 {
		return all, nil
	}
	l := &sluice.ResourceListing{ProjectID: all.ProjectID, Version: all.Version, Resources: []*sluice.Resource{},
		Groups: []*sluice.ResourceGroup{}, Modules: all.Modules}
	keep := func(r *sluice.Resource) bool { return (f.Kind == "" || r.Kind == f.Kind) && hasTags(r.Tags, f.Tags) }
	for _, r := range all.Resources {
		if keep(r) {
			l.Resources = append(l.Resources, r)
		}
	}
	for _, g := range all.Groups {
		var rs []*sluice.Resource
		for _, r := range g.Resources {
			if keep(r) {
				rs = append(rs, r)
			}
		}
		if len(rs) > 0 {
			sub := *g
			sub.Resources = rs
			l.Groups = append(l.Groups, &sub)
		}
	}
	return l, nil
}

// listingCacheSize bounds how many projects' listings are kept.
const listingCacheSize = 16

// resourceListing is a project's whole resource centre at its current version, from the cache when the
// version has not moved. The version is read before the rows, so a listing is never older than its version.
func (s *Service) resourceListing(ctx context.Context, projectID int64) (*sluice.ResourceListing, error) {
	version, err := s.store.ResourceVersion(ctx, projectID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	l := s.listings[projectID]
	s.mu.Unlock()
	if l != nil && l.Version == version {
		return l, nil
	}
	rs, gs, err := s.store.FindResources(ctx, sluice.ResourceFilter{ProjectID: projectID})
	if err != nil {
		return nil, err
	}
	byName := map[string]*sluice.ResourceGroup{}
	for _, g := range gs {
		byName[g.Name] = g
	}
	l = &sluice.ResourceListing{ProjectID: projectID, Version: version, Resources: []*sluice.Resource{},
		Groups: []*sluice.ResourceGroup{}, Modules: s.Modules}
	if l.Modules == nil {
		l.Modules = []*sluice.Module{}
	}
	for _, r := range rs {
		if r.Group == "" {
			l.Resources = append(l.Resources, r)
			continue
		}
		g := byName[r.Group]
		if g == nil { // a group is written with its first resource; this one raced the listing
			continue
		}
		if len(g.Resources) == 0 {
			l.Groups = append(l.Groups, g)
		}
		g.Resources = append(g.Resources, r)
	}
	s.mu.Lock()
	if s.listings == nil || (len(s.listings) >= listingCacheSize && s.listings[projectID] == nil) {
		s.listings = map[int64]*sluice.ResourceListing{} // rarely full: start over rather than track use
	}
	if cur := s.listings[projectID]; cur == nil || cur.Version <= version {
		s.listings[projectID] = l
	}
	s.mu.Unlock()
	return l, nil
}

// hasTags reports whether have holds every tag of want.
func hasTags(have, want []sluice.Tag) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// FindResource returns one resource.
func (s *Service) FindResource(ctx context.Context, ref sluice.ProjectRef, group, name string) (*sluice.Resource, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindResource(ctx, p.ID, group, name)
}

// OpenResource returns a READY resource with its bytes.
func (s *Service) OpenResource(ctx context.Context, ref sluice.ProjectRef, group, name string) (*sluice.Resource, io.ReadCloser, error) {
	r, err := s.FindResource(ctx, ref, group, name)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != sluice.UploadReady {
		return nil, nil, sluice.Errorf(sluice.ECONFLICT, "Resource %s is %s, not READY.", r.Name, r.Status)
	}
	if s.Blobs == nil {
		return nil, nil, errNoBlobs()
	}
	body, err := s.Blobs.Open(ctx, r.BlobKey)
	if err != nil {
		return nil, nil, fmt.Errorf("open resource %d: %w", r.ID, err)
	}
	return r, body, nil
}

// DeleteResource removes a resource and then its bytes; its group goes with its last resource.
func (s *Service) DeleteResource(ctx context.Context, ref sluice.ProjectRef, group, name string) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	r, err := s.store.DeleteResource(audited(ctx, p, entry("DeleteResource", "resource", name, group, "")), p.ID, group, name)
	if err != nil {
		return err
	}
	if s.Blobs != nil {
		s.dropBlobs(ctx, []*sluice.Resource{r})
	}
	return s.unpackageResource(ctx, p, name)
}

// unpackageResource takes a resource no longer in its project out of the project's packages, as DDL does
// for a dropped table or function. Packages name resources without their group: the name stays packaged
// while a resource of that name is left in another group. It runs after the deletion, in a transaction of
// its own: were the server to stop in between, a package would name a resource that is gone, which reads
// as not found and is removed by the next deletion or by REMOVE RESOURCE.
func (s *Service) unpackageResource(ctx context.Context, p *sluice.Project, name string) error {
	return s.store.UpdateCatalog(ctx, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		left, err := tx.FindResourcesNamed(ctx, p.ID, name)
		if err != nil || len(left) > 0 {
			return err
		}
		return tx.RemoveObjectEverywhere(ctx, p.ID, sluice.ObjectResource, sluice.DefaultSchema, name)
	})
}

// ChangeResourceOwner gives a resource, a group or an ungrouped resource to a user of the project's account.
func (s *Service) ChangeResourceOwner(ctx context.Context, ref sluice.ProjectRef, group, name, newOwner string) error {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	if group == "" && name == "" {
		return sluice.Errorf(sluice.EINVALID, "Name the group, the resource, or both.")
	}
	owner, err := s.resourceOwner(ctx, p, newOwner, u)
	if err != nil {
		return err
	}
	if name == "" {
		actx := audited(ctx, p, entry("ChangeResourceOwner", "resource_group", group, group, "owner "+owner))
		return s.store.ChangeResourceGroup(actx, p.ID, group, func(g *sluice.ResourceGroup) error {
			g.Owner = owner
			return nil
		})
	}
	actx := audited(ctx, p, entry("ChangeResourceOwner", "resource", name, group, "owner "+owner))
	_, err = s.store.ChangeResource(actx, p.ID, group, name, func(r *sluice.Resource) error {
		r.Owner = owner
		return nil
	})
	return err
}

// TagResource adds tags to a resource, replacing the values of keys it has; at most 20 tags in all.
func (s *Service) TagResource(ctx context.Context, ref sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	actx := audited(ctx, p, entry("TagResource", "resource", name, group, tagKeys(tags)))
	_, err = s.store.ChangeResource(actx, p.ID, group, name, func(r *sluice.Resource) error {
		for _, t := range tags {
			i := slices.IndexFunc(r.Tags, func(x sluice.Tag) bool { return x.Key == t.Key })
			if i >= 0 {
				r.Tags[i] = t
			} else {
				r.Tags = append(r.Tags, t)
			}
		}
		return checkTags(r.Tags)
	})
	return err
}

// UntagResource removes tags by key; keys the resource does not have are ignored.
func (s *Service) UntagResource(ctx context.Context, ref sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	actx := audited(ctx, p, entry("UntagResource", "resource", name, group, tagKeys(tags)))
	_, err = s.store.ChangeResource(actx, p.ID, group, name, func(r *sluice.Resource) error {
		r.Tags = slices.DeleteFunc(r.Tags, func(x sluice.Tag) bool {
			return slices.ContainsFunc(tags, func(t sluice.Tag) bool { return t.Key == x.Key })
		})
		return nil
	})
	return err
}

// SweepBlobs finds the bytes in the blob store that no resource holds and that are older than grace (so an
// upload in flight is never taken for one): what a crash between removing a resource and removing its
// bytes leaves. It reports them and, when remove is set, removes them.
func (s *Service) SweepBlobs(ctx context.Context, grace time.Duration, remove bool) ([]sluice.BlobInfo, error) {
	if s.Blobs == nil {
		return nil, nil
	}
	held := map[string]bool{}
	if err := s.store.ResourceBlobKeys(ctx, func(key string) error { held[key] = true; return nil }); err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-grace)
	var orphans []sluice.BlobInfo
	err := s.Blobs.List(ctx, "resources/", func(b sluice.BlobInfo) error {
		if !held[b.Key] && b.ModTime.Before(cutoff) {
			orphans = append(orphans, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, b := range orphans {
		slog.WarnContext(ctx, "orphan resource bytes", "key", b.Key, "size", b.Size, "removed", remove)
		if remove {
			if err := s.Blobs.Delete(ctx, b.Key); err != nil {
				return orphans, err
			}
		}
	}
	return orphans, nil
}

// tagKeys lists the keys of tags for an audit entry's detail.
func tagKeys(tags []sluice.Tag) string {
	keys := make([]string, len(tags))
	for i, t := range tags {
		keys[i] = t.Key
	}
	return "tags " + strings.Join(keys, ",")
}
