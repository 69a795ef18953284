package sluice

import (
	"context"
	"io"
	"strings"
	"time"
)

// ResourceKind is what a resource is for: the DLI resource_type, the MaxCompute resource type.
type ResourceKind string

const (
	KindJar       ResourceKind = "jar"
	KindPyFile    ResourceKind = "pyFile"
	KindFile      ResourceKind = "file"
	KindModelFile ResourceKind = "modelFile"
)

// ResourceKinds are every kind, in their canonical spelling.
var ResourceKinds = []ResourceKind{KindJar, KindPyFile, KindFile, KindModelFile}

// ParseResourceKind reads a kind in any letter case ("pyfile" is pyFile); ok is false for anything else.
func ParseResourceKind(s string) (kind ResourceKind, ok bool) {
	for _, k := range ResourceKinds {
		if strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return "", false
}

// UploadStatus is where a resource's bytes are: UPLOADING until they are complete and durable in the blob
// store (READY), or until copying them failed (FAILED, with a reason).
type UploadStatus string

const (
	UploadUploading UploadStatus = "UPLOADING"
	UploadReady     UploadStatus = "READY"
	UploadFailed    UploadStatus = "FAILED"
)

// Tag is a key and value put on a resource.
type Tag struct {
	Key   string
	Value string
}

// Resource is one file of a project's resource centre: a jar, Python file, model or data file that jobs and
// functions use. It is ungrouped (Group "") or in one group, and unique by (project, group, name).
type Resource struct {
	ID             int64
	ProjectID      int64
	Group          string // "" when ungrouped
	Name           string // the file name, e.g. "spark-app.jar"
	Kind           ResourceKind
	Status         UploadStatus
	Reason         string // why it FAILED
	UnderlyingName string // the stored copy's name: <uuid>_<name>, one uuid per upload request
	Owner          string // user name
	Source         string // where the bytes came from: the path named at upload, or "upload:" for streamed bytes
	Async          bool   // uploaded by a request that answered before the bytes were copied
	Size           int64  // bytes, once READY
	SHA256         string // hex digest of the bytes, once READY
	BlobKey        string // where the bytes are kept in the blob store
	Tags           []Tag
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ResourceGroup is a named set of resources of one project. It exists while it holds resources: the first
// upload naming it creates it, deleting its last resource removes it.
type ResourceGroup struct {
	ProjectID int64
	Name      string
	Owner     string
	Async     bool // the last upload into it was asynchronous
	Resources []*Resource
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Status is derived from the group's resources: UPLOADING while any is, else FAILED if any failed, else READY.
func (g *ResourceGroup) Status() UploadStatus {
	status := UploadReady
	for _, r := range g.Resources {
		switch r.Status {
		case UploadUploading:
			return UploadUploading
		case UploadFailed:
			status = UploadFailed
		}
	}
	return status
}

// Module is a built-in, read-only group of resources declared in the server's configuration (DLI's
// sys.datasource.* modules, for example). Every project sees the same modules.
type Module struct {
	Name        string
	Type        ResourceKind
	Description string
	Resources   []string
	CreatedAt   time.Time
}

// ResourceFilter selects a project's resources. Zero fields do not filter.
type ResourceFilter struct {
	ProjectID int64
	Kind      ResourceKind
	Tags      []Tag // every tag must be on the resource (or on its group's upload)
}

// ResourceListing is a project's resource centre: ungrouped resources, groups with theirs, and the modules.
// Listings are shared between callers: they must not be changed.
type ResourceListing struct {
	ProjectID int64
	Version   int64 // the project's resource version it was read at: equal versions, equal listings (0: unknown)
	Resources []*Resource
	Groups    []*ResourceGroup
	Modules   []*Module
}

// Total counts the resources listed, grouped and ungrouped (not modules).
func (l *ResourceListing) Total() int {
	n := len(l.Resources)
	for _, g := range l.Groups {
		n += len(g.Resources)
	}
	return n
}

// ResourceUpload asks for resources to be copied in from where their bytes are.
type ResourceUpload struct {
	Sources []string     // one resource per source, named by its last path segment: obs://, s3://, https://, http://, file://
	Kind    ResourceKind // of every resource uploaded
	Group   string       // "" for ungrouped resources
	Async   bool         // answer at once, copy in the background
	Tags    []Tag
	Owner   string // user name to own the new resources; "" is the caller
}

// ResourceService is the resource centre on behalf of the caller in ctx. Reads need Read on the project,
// changes need Write.
type ResourceService interface {
	// FindResources lists the project's resources, groups and the modules.
	FindResources(ctx context.Context, project ProjectRef, f ResourceFilter) (*ResourceListing, error)
	// UploadResources creates or replaces (by name, in the group) one resource per source. Synchronous
	// uploads answer once every copy ended (READY or FAILED); asynchronous ones answer UPLOADING at once.
	UploadResources(ctx context.Context, project ProjectRef, u ResourceUpload) (*ResourceGroup, error)
	// PutResource creates or replaces the resource r names (Group, Name, Kind, Tags, Owner) from bytes the
	// caller streams; r.Size is their declared length, or -1 when unknown, and r.SHA256, when set, their
	// declared digest: bytes of another length or digest change nothing. It answers READY.
	PutResource(ctx context.Context, project ProjectRef, r Resource, body io.Reader) (*Resource, error)
	FindResource(ctx context.Context, project ProjectRef, group, name string) (*Resource, error)
	// OpenResource returns a READY resource and its bytes.
	OpenResource(ctx context.Context, project ProjectRef, group, name string) (*Resource, io.ReadCloser, error)
	// DeleteResource removes a resource and its bytes; a group left empty goes with it.
	DeleteResource(ctx context.Context, project ProjectRef, group, name string) error
	// ChangeResourceOwner gives a resource (name set), a whole group (name ""), or an ungrouped resource
	// (group "") to the user named newOwner.
	ChangeResourceOwner(ctx context.Context, project ProjectRef, group, name, newOwner string) error
	// TagResource adds tags to a resource; UntagResource removes tags by key (missing ones are ignored).
	TagResource(ctx context.Context, project ProjectRef, group, name string, tags []Tag) error
	UntagResource(ctx context.Context, project ProjectRef, group, name string, tags []Tag) error
}

// BlobInfo describes stored bytes.
type BlobInfo struct {
	Key     string
	Size    int64
	SHA256  string // hex; "" where the store does not know it (Stat, List)
	ModTime time.Time
}

// BlobStore keeps resource bytes. Put is atomic: the bytes are written aside and published under key only
// once complete and durable, so a reader never sees a partial object and a failed Put leaves nothing.
type BlobStore interface {
	// Put streams r to key. When size is not negative, a body of any other length fails the Put.
	Put(ctx context.Context, key string, r io.Reader, size int64) (BlobInfo, error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Stat(ctx context.Context, key string) (BlobInfo, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every key under prefix.
	List(ctx context.Context, prefix string, fn func(BlobInfo) error) error
	Close() error
}

// SourceOpener opens the bytes an upload names: object-store URLs, allowed web hosts and import
// directories, each under the operator's policy. It returns the body and its size (-1 when unknown).
type SourceOpener interface {
	OpenSource(ctx context.Context, rawURL string) (io.ReadCloser, int64, error)
}

// ResourceStore keeps resource groups, resources and the jobs that copy resource bytes in. Every change
// runs in one transaction; the rules are the core's.
type ResourceStore interface {
	// FindResources returns the resources f selects, by group and name, and the groups among them
	// (without their Resources: the caller puts them together).
	FindResources(ctx context.Context, f ResourceFilter) ([]*Resource, []*ResourceGroup, error)
	// ResourceVersion moves on with every change of a project's resources (0 before the first): what was
	// read at one version may be reused while it stays.
	ResourceVersion(ctx context.Context, projectID int64) (int64, error)
	FindResource(ctx context.Context, projectID int64, group, name string) (*Resource, error)
	// CreateUpload records an upload at once: the group (g, nil for ungrouped resources) is created, or its
	// update time and Async refreshed; each resource is created, or replaces the one of its name; job, when
	// not nil, is enqueued. It returns the resources replaced, whose bytes the caller removes.
	CreateUpload(ctx context.Context, projectID int64, g *ResourceGroup, rs []*Resource, job *Job) ([]*Resource, error)
	// FinishResource stores r's Status, Reason, Size, SHA256 and BlobKey if the resource r.ID is still the
	// one uploaded as r.UnderlyingName and still UPLOADING; false when it was replaced or deleted meanwhile.
	FinishResource(ctx context.Context, r *Resource) (bool, error)
	// DeleteResource removes a resource, and its group when it was the group's last, and returns it.
	DeleteResource(ctx context.Context, projectID int64, group, name string) (*Resource, error)
	// ChangeResource reads a resource with its row locked, lets change alter its Owner and Tags, and
	// stores them in the same transaction.
	ChangeResource(ctx context.Context, projectID int64, group, name string, change func(r *Resource) error) (*Resource, error)
	// ChangeResourceGroup does the same for a group's Owner.
	ChangeResourceGroup(ctx context.Context, projectID int64, group string, change func(g *ResourceGroup) error) error
	// ResourceBlobKeys calls fn with the blob key of every resource that holds bytes.
	ResourceBlobKeys(ctx context.Context, fn func(key string) error) error

	// ClaimJob leases the oldest free job of kind to owner until now+lease, counting the attempt; nil when
	// none is free. A job is free when it was never claimed or its lease ran out (its owner died).
	ClaimJob(ctx context.Context, kind, owner string, lease time.Duration) (*Job, error)
	// ExtendJob renews owner's lease; ECONFLICT when the lease was lost to another owner.
	ExtendJob(ctx context.Context, id int64, owner string, lease time.Duration) error
	// DeleteJob removes a finished job.
	DeleteJob(ctx context.Context, id int64) error
}

// Job is background work kept in the database, so that it survives the server that started it: any server
// of the database may claim it once its lease runs out.
type Job struct {
	ID         int64
	Kind       string
	Payload    string // JSON text, the kind's own
	Attempts   int    // claims so far, this one included
	LeaseOwner string
	LeaseUntil time.Time
	CreatedAt  time.Time
}
