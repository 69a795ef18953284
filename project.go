package sluice

import (
	"context"
	"strconv"
	"time"
)

// Project is the unit of ownership and access. One project has three names, one per face: the numeric ID
// (DataWorks ProjectId), Name (DataWorks ProjectIdentifier, MaxCompute projectName, DLI project_id) and
// UUID, 32 lower-case hex digits (also a DLI project_id).
type Project struct {
	ID          int64
	Name        string
	UUID        string
	AccountID   int64
	OwnerID     int64
	OwnerName   string // filled by the store on reads
	DisplayName string
	Comment     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ProjectRef names a project by any one of its names. Exactly one field is set.
type ProjectRef struct {
	ID   int64
	Name string
	UUID string
}

// ProjectByID, ProjectByName and ProjectByUUID build a ProjectRef.
func ProjectByID(id int64) ProjectRef      { return ProjectRef{ID: id} }
func ProjectByName(name string) ProjectRef { return ProjectRef{Name: name} }
func ProjectByUUID(uuid string) ProjectRef { return ProjectRef{UUID: uuid} }
func (r ProjectRef) String() string {
	switch {
	case r.Name != "":
		return r.Name
	case r.UUID != "":
		return r.UUID
	default:
		return strconv.FormatInt(r.ID, 10)
	}
}

// Role is a user's role in a project. Roles are ordered: each includes the rights of those below it.
type Role string

const (
	RoleOwner     Role = "owner"     // everything, including deleting the project
	RoleAdmin     Role = "admin"     // manages members (except owners) and everything below
	RoleDeveloper Role = "developer" // creates and changes the project's objects
	RoleViewer    Role = "viewer"    // reads, never changes
)

// Rank orders roles; an unknown role ranks 0, below every real one.
func (r Role) Rank() int {
	switch r {
	case RoleOwner:
		return 4
	case RoleAdmin:
		return 3
	case RoleDeveloper:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Rank() > 0 }

// Access is what an operation needs of the caller in a project. Every service method that touches a
// project states one, and the core checks it in one place.
type Access int

const (
	Read   Access = iota + 1 // viewer and above
	Write                    // developer and above
	Manage                   // admin and above: membership
	Own                      // owner: deleting the project, making owners
)

// Role returns the least role that grants a.
func (a Access) Role() Role {
	switch a {
	case Read:
		return RoleViewer
	case Write:
		return RoleDeveloper
	case Manage:
		return RoleAdmin
	}
	return RoleOwner
}

// Member is a user's membership of a project.
type Member struct {
	ProjectID int64
	UserID    int64
	UserName  string // filled by the store on reads
	Role      Role
	CreatedAt time.Time
}

// ProjectFilter selects projects, ordered by name; nil or zero fields do not filter.
type ProjectFilter struct {
	MemberID *int64 // only projects this user is a member of
	Prefix   string // name prefix
	After    string // only names greater than this (marker paging)
	Offset   int    // rows to skip (page-number paging)
	Limit    int    // at most this many; 0 means no limit
	NoTotal  bool   // the caller needs no total: FindProjects may skip counting and report -1
}

// ProjectStore keeps projects and their members.
type ProjectStore interface {
	// CreateProject inserts p, filling ID, and makes owner its first member, in one transaction.
	CreateProject(ctx context.Context, p *Project, owner *Member) error
	FindProject(ctx context.Context, ref ProjectRef) (*Project, error)
	// FindProjects returns one page of projects and the number of projects the filter selects without
	// After, Offset and Limit.
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	DeleteProject(ctx context.Context, id int64) error

	FindMember(ctx context.Context, projectID, userID int64) (*Member, error)
	// FindProjectMember returns the project ref names and userID's membership of it, nil when the user is
	// not a member: what authorizing a project-scoped request reads, read together.
	FindProjectMember(ctx context.Context, ref ProjectRef, userID int64) (*Project, *Member, error)
	FindMembers(ctx context.Context, projectID int64) ([]*Member, error)
	// ChangeMember reads a project's members with the project locked against other membership changes,
	// lets change decide the membership of userID (nil removes it), and stores it in the same transaction.
	ChangeMember(ctx context.Context, projectID, userID int64, change func(members []*Member) (*Member, error)) (*Member, error)
}

// ProjectCreate is what a caller gives to create a project.
type ProjectCreate struct {
	Name        string
	DisplayName string
	Comment     string
}

// ProjectService manages projects on behalf of the caller in ctx. A caller sees and touches only projects
// it is a member of; Authorize is the one place where that is decided.
type ProjectService interface {
	CreateProject(ctx context.Context, c ProjectCreate) (*Project, error)
	FindProject(ctx context.Context, ref ProjectRef) (*Project, error)
	// FindProjects lists the caller's projects (Filter.MemberID is set by the service).
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	DeleteProject(ctx context.Context, ref ProjectRef) error

	FindMembers(ctx context.Context, ref ProjectRef) ([]*Member, error)
	PutMember(ctx context.Context, ref ProjectRef, userName string, role Role) (*Member, error)
	DeleteMember(ctx context.Context, ref ProjectRef, userName string) error

	// Authorize returns the project if the caller's role in it grants access, and an EUNAUTHENTICATED,
	// ENOTFOUND or EFORBIDDEN error otherwise.
	Authorize(ctx context.Context, ref ProjectRef, access Access) (*Project, error)
}
