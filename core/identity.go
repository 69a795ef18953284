package core

import (
	"context"
	"regexp"
	"strconv"

	"github.com/sluice-dev/sluice"
)

var userNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$`)

// admin returns the caller if it may administer its account.
func admin(ctx context.Context) (*sluice.User, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if !u.IsAdmin() {
		return nil, sluice.Errorf(sluice.EFORBIDDEN, "Only the root user and account admins may manage users and access keys.")
	}
	return u, nil
}

// accountUser returns the named user if it is in the admin's account.
func (s *Service) accountUser(ctx context.Context, adm *sluice.User, name string) (*sluice.User, error) {
	u, err := s.store.FindUserByName(ctx, name)
	if err != nil {
		return nil, err
	}
	if u.AccountID != adm.AccountID {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "User %q does not exist.", name)
	}
	return u, nil
}

// CreateUser creates a user in the caller's account.
func (s *Service) CreateUser(ctx context.Context, name string, role sluice.UserRole) (*sluice.User, error) {
	adm, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	if !userNameRE.MatchString(name) {
		return nil, sluice.Errorf(sluice.EINVALID, "The user name %q is invalid: use 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit.", name)
	}
	if role == "" {
		role = sluice.UserMember
	}
	if !role.Valid() || role == sluice.UserRoot {
		return nil, sluice.Errorf(sluice.EINVALID, "The user role %q is invalid: use member or admin.", role)
	}
	u := &sluice.User{AccountID: adm.AccountID, Name: name, Role: role}
	e := entry("CreateUser", "user", name, nil, "role "+string(role))
	e.Fill = func(e *sluice.AuditEntry) { e.ObjectID = strconv.FormatInt(u.ID, 10) }
	if err := s.store.CreateUser(audited(ctx, nil, e), u); err != nil {
		return nil, err
	}
	return u, nil
}

// FindUsers lists the users of the caller's account.
func (s *Service) FindUsers(ctx context.Context) ([]*sluice.User, error) {
	adm, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.FindUsers(ctx, adm.AccountID)
}

// FindUser looks up one user of the caller's account by name, or by id when no user is so named; any user
// may (see sluice.IdentityService). The caller learns only what file owners and project members already
// show, and only for an exact name or id: FindUsers, the listing, stays with admins.
func (s *Service) FindUser(ctx context.Context, nameOrID string) (*sluice.User, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.store.FindUserByName(ctx, nameOrID)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		if id, perr := strconv.ParseInt(nameOrID, 10, 64); perr == nil && id > 0 {
			u, err = s.store.FindUserByID(ctx, id)
		}
	}
	if err != nil && sluice.ErrorCode(err) != sluice.ENOTFOUND {
		return nil, err
	}
	if err != nil || u.AccountID != c.AccountID {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "User %q does not exist.", nameOrID)
	}
	return u, nil
}

// CreateAccessKey creates an access key for a user of the caller's account and returns its secret.
func (s *Service) CreateAccessKey(ctx context.Context, userName string) (*sluice.AccessKey, error) {
	adm, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.accountUser(ctx, adm, userName)
	if err != nil {
		return nil, err
	}
	id := newKeyID()
	return s.createKey(audited(ctx, nil, entry("CreateAccessKey", "access_key", u.Name, id, "")), u, id, newSecret())
}

// FindAccessKeys lists the keys of one user of the caller's account, or of the whole account when userName
// is empty. Secrets are never returned.
func (s *Service) FindAccessKeys(ctx context.Context, userName string) ([]*sluice.AccessKey, error) {
	adm, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	f := sluice.AccessKeyFilter{AccountID: &adm.AccountID}
	if userName != "" {
		u, err := s.accountUser(ctx, adm, userName)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			return []*sluice.AccessKey{}, nil // a filter that names nobody selects nothing
		}
		if err != nil {
			return nil, err
		}
		f.UserID = &u.ID
	}
	keys, err := s.store.FindAccessKeys(ctx, f)
	for _, k := range keys {
		k.SealedSecret = nil
	}
	return keys, err
}

// accountKey returns a key of the caller's account.
func (s *Service) accountKey(ctx context.Context, id string) (*sluice.AccessKey, error) {
	adm, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.store.FindAccessKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.accountUser(ctx, adm, k.UserName); err != nil {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Access key %q does not exist.", id)
	}
	return k, nil
}

// SetAccessKeyEnabled enables or disables a key of the caller's account.
func (s *Service) SetAccessKeyEnabled(ctx context.Context, id string, enabled bool) error {
	k, err := s.accountKey(ctx, id)
	if err != nil {
		return err
	}
	defer s.forgetKey(id)
	op := "DisableAccessKey"
	if enabled {
		op = "EnableAccessKey"
	}
	return s.store.SetAccessKeyEnabled(audited(ctx, nil, entry(op, "access_key", k.UserName, id, "")), id, enabled)
}

// DeleteAccessKey deletes a key of the caller's account.
func (s *Service) DeleteAccessKey(ctx context.Context, id string) error {
	k, err := s.accountKey(ctx, id)
	if err != nil {
		return err
	}
	defer s.forgetKey(id)
	return s.store.DeleteAccessKey(audited(ctx, nil, entry("DeleteAccessKey", "access_key", k.UserName, id, "")), id)
}
