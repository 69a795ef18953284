package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

// projectNameRE is MaxCompute's rule for project names: 3 to 28 characters, letters, digits and underscores,
// starting with a letter.
var projectNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{2,27}$`)

// Authorize is the one place where project access is decided. The caller must be a member of the project
// whose role grants access. Account admins may additionally manage the membership of their account's
// projects without being members, so a project never becomes unreachable. Anyone else gets noAccess,
// whether or not the project exists.
func (s *Service) Authorize(ctx context.Context, ref sluice.ProjectRef, access sluice.Access) (*sluice.Project, error) {
	_, p, err := s.authorize(ctx, ref, access)
	return p, err
}

// authorize is Authorize that also returns the caller's membership (nil for an account admin who is not
// a member).
func (s *Service) authorize(ctx context.Context, ref sluice.ProjectRef, access sluice.Access) (*sluice.Member, *sluice.Project, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, m, err := s.store.FindProjectMember(ctx, ref, u.ID)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil, noAccess()
	}
	if err != nil {
		return nil, nil, err
	}
	// An account admin manages its account's projects whatever its own role in them, if any.
	adminManages := access == sluice.Manage && u.IsAdmin() && u.AccountID == p.AccountID
	switch {
	case m == nil && adminManages:
		return nil, p, nil
	case m == nil:
		return nil, nil, noAccess()
	case adminManages && m.Role != sluice.RoleOwner:
		return nil, p, nil // as a non-member admin: canGrant lets it manage owners too
	case m.Role.Rank() < access.Role().Rank():
		return nil, nil, sluice.Errorf(sluice.EFORBIDDEN, "Your role in project %s is %s; this needs %s.", p.Name, m.Role, access.Role())
	}
	return m, p, nil
}

// errNoAccess is the answer to a caller who may not see a project, the same whether the project exists or
// not, so that it tells neither; it names nothing the caller did not already know. One value, never changed,
// so that isNoAccess knows it by identity rather than by its wording.
var errNoAccess = &sluice.Error{Code: sluice.EFORBIDDEN, Message: "You have no access to this project, or it does not exist."}

func noAccess() error { return errNoAccess }

// isNoAccess reports whether err is noAccess's answer.
func isNoAccess(err error) bool { return errors.Is(err, errNoAccess) }

// CreateProject creates a project owned by the caller.
func (s *Service) CreateProject(ctx context.Context, c sluice.ProjectCreate) (*sluice.Project, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if !projectNameRE.MatchString(c.Name) {
		return nil, sluice.Errorf(sluice.EINVALID, "The project name %q is invalid: use 3 to 28 letters, digits or underscores, starting with a letter.", c.Name)
	}
	if utf8.RuneCountInString(c.DisplayName) > 128 {
		return nil, sluice.Errorf(sluice.EINVALID, "The project display name is longer than 128 characters.")
	}
	if utf8.RuneCountInString(c.Comment) > 1024 {
		return nil, sluice.Errorf(sluice.EINVALID, "The project comment is longer than 1024 characters.")
	}
	if c.DisplayName == "" {
		c.DisplayName = c.Name
	}
	uuid := make([]byte, 16)
	if _, err := rand.Read(uuid); err != nil {
		return nil, err
	}
	p := &sluice.Project{Name: c.Name, UUID: hex.EncodeToString(uuid), AccountID: u.AccountID, OwnerID: u.ID,
		OwnerName: u.Name, DisplayName: c.DisplayName, Comment: c.Comment}
	e := entry("CreateProject", "project", p.Name, nil, "")
	e.Fill = func(e *sluice.AuditEntry) {
		e.ProjectID, e.ProjectName, e.ObjectID = p.ID, p.Name, strconv.FormatInt(p.ID, 10)
	}
	if err := s.store.CreateProject(audited(ctx, nil, e), p, &sluice.Member{UserID: u.ID, UserName: u.Name, Role: sluice.RoleOwner}); err != nil {
		return nil, err
	}
	return p, nil
}

// FindProject returns a project the caller may read.
func (s *Service) FindProject(ctx context.Context, ref sluice.ProjectRef) (*sluice.Project, error) {
	return s.Authorize(ctx, ref, sluice.Read)
}

// FindProjects lists the projects the caller is a member of.
func (s *Service) FindProjects(ctx context.Context, f sluice.ProjectFilter) ([]*sluice.Project, int, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.MemberID = &u.ID
	return s.store.FindProjects(ctx, f)
}

// DeleteProject deletes a project the caller owns, then the bytes of its resources (a failure there leaves
// orphans for the sweep).
func (s *Service) DeleteProject(ctx context.Context, ref sluice.ProjectRef) error {
	p, err := s.Authorize(ctx, ref, sluice.Own)
	if err != nil {
		return err
	}
	rs, _, err := s.store.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID})
	if err != nil {
		return err
	}
	if err := s.store.DeleteProject(audited(ctx, p, entry("DeleteProject", "project", p.Name, p.ID, "")), p.ID); err != nil {
		return err
	}
	if s.Blobs != nil {
		s.dropBlobs(ctx, rs)
	}
	return nil
}

// FindMembers lists a project's members; any member may read them.
func (s *Service) FindMembers(ctx context.Context, ref sluice.ProjectRef) ([]*sluice.Member, error) {
	p, err := s.Authorize(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindMembers(ctx, p.ID)
}

// canGrant reports whether a caller whose membership is m (nil: an account admin acting without one) may
// make or unmake an owner. Project admins manage everyone below owner.
func canGrant(m *sluice.Member, role sluice.Role) bool {
	return role != sluice.RoleOwner || m == nil || m.Role == sluice.RoleOwner
}

// PutMember adds a user of the project's account to the project, or changes its role. The rules that
// involve other members are judged on the members as they are when the change is made.
func (s *Service) PutMember(ctx context.Context, ref sluice.ProjectRef, userName string, role sluice.Role) (*sluice.Member, error) {
	if !role.Valid() {
		return nil, sluice.Errorf(sluice.EINVALID, "The role %q is invalid: use owner, admin, developer or viewer.", role)
	}
	me, p, u, err := s.memberChange(ctx, ref, userName)
	if err != nil {
		return nil, err
	}
	actx := audited(ctx, p, entry("PutMember", "member", u.Name, u.ID, "role "+string(role)))
	return s.store.ChangeMember(actx, p.ID, u.ID, func(members []*sluice.Member) (*sluice.Member, error) {
		me, old, err := parties(members, me, u, p)
		if err != nil {
			return nil, err
		}
		if !canGrant(me, role) || (old != nil && !canGrant(me, old.Role)) {
			return nil, sluice.Errorf(sluice.EFORBIDDEN, "Only an owner of project %s may grant or change the owner role.", p.Name)
		}
		if old != nil && old.Role == sluice.RoleOwner && role != sluice.RoleOwner {
			if err := keepAnOwner(members, p, u.ID); err != nil {
				return nil, err
			}
		}
		return &sluice.Member{UserName: u.Name, Role: role}, nil
	})
}

// DeleteMember removes a user from a project.
func (s *Service) DeleteMember(ctx context.Context, ref sluice.ProjectRef, userName string) error {
	me, p, u, err := s.memberChange(ctx, ref, userName)
	if err != nil {
		return err
	}
	_, err = s.store.ChangeMember(audited(ctx, p, entry("DeleteMember", "member", u.Name, u.ID, "")), p.ID, u.ID, func(members []*sluice.Member) (*sluice.Member, error) {
		me, old, err := parties(members, me, u, p)
		if err != nil {
			return nil, err
		}
		if old == nil {
			return nil, sluice.Errorf(sluice.ENOTFOUND, "User %q is not a member of project %s.", userName, p.Name)
		}
		if !canGrant(me, old.Role) {
			return nil, sluice.Errorf(sluice.EFORBIDDEN, "Only an owner of project %s may remove an owner.", p.Name)
		}
		if old.Role == sluice.RoleOwner {
			if err := keepAnOwner(members, p, u.ID); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

// memberChange authorizes the caller to manage a project's members and finds the user of the project's
// account a change is about.
func (s *Service) memberChange(ctx context.Context, ref sluice.ProjectRef, userName string) (*sluice.Member, *sluice.Project, *sluice.User, error) {
	me, p, err := s.authorize(ctx, ref, sluice.Manage)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := s.store.FindUserByName(ctx, userName)
	if err != nil {
		return nil, nil, nil, err
	}
	if u.AccountID != p.AccountID {
		return nil, nil, nil, sluice.Errorf(sluice.ENOTFOUND, "User %q does not exist.", userName)
	}
	return me, p, u, nil
}

// parties finds, among a project's members as they are now, the caller's membership me (nil: an account
// admin acting without one, who stays so) and the membership of u (nil: none). A caller whose membership
// lost the right to manage since it was authorized is refused.
func parties(members []*sluice.Member, me *sluice.Member, u *sluice.User, p *sluice.Project) (*sluice.Member, *sluice.Member, error) {
	var now, old *sluice.Member
	for _, m := range members {
		if me != nil && m.UserID == me.UserID {
			now = m
		}
		if m.UserID == u.ID {
			old = m
		}
	}
	if me != nil && (now == nil || now.Role.Rank() < sluice.Manage.Role().Rank()) {
		return nil, nil, sluice.Errorf(sluice.EFORBIDDEN, "You may no longer manage the members of project %s.", p.Name)
	}
	return now, old, nil
}

// keepAnOwner refuses a change that would leave the project without an owner.
func keepAnOwner(members []*sluice.Member, p *sluice.Project, leaving int64) error {
	for _, m := range members {
		if m.Role == sluice.RoleOwner && m.UserID != leaving {
			return nil
		}
	}
	return sluice.Errorf(sluice.ECONFLICT, "Project %s must keep at least one owner.", p.Name)
}
