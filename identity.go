package sluice

import (
	"context"
	"time"
)

// Account groups users. The root user and the account's admins administer its users and keys.
type Account struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// UserRole is a user's standing in its account (not in a project: see Role).
type UserRole string

const (
	UserRoot   UserRole = "root"   // the first user, created on first start; one per server
	UserAdmin  UserRole = "admin"  // administers the account's users and keys
	UserMember UserRole = "member" // an ordinary user
)

// Valid reports whether r is a known user role.
func (r UserRole) Valid() bool { return r == UserRoot || r == UserAdmin || r == UserMember }

// User is a person or a program that signs requests with its access keys.
type User struct {
	ID        int64
	AccountID int64
	Name      string
	Role      UserRole
	CreatedAt time.Time
}

// IsAdmin reports whether u may administer its account's users, keys and project memberships.
func (u *User) IsAdmin() bool { return u != nil && (u.Role == UserRoot || u.Role == UserAdmin) }

// AccessKey is an access key id and secret. Secret is the clear text, known only in memory: when the key is
// created (to show it once) and after the core has opened SealedSecret to verify a signature. The store keeps
// only SealedSecret, the secret encrypted under the server's master key.
type AccessKey struct {
	ID           string
	UserID       int64
	UserName     string // filled by the store on reads
	Enabled      bool
	Secret       string
	SealedSecret []byte
	CreatedAt    time.Time
}

// AccessKeyFilter selects access keys; nil fields do not filter.
type AccessKeyFilter struct {
	UserID    *int64
	AccountID *int64
}

// IdentityStore keeps accounts, users and access keys.
type IdentityStore interface {
	CreateAccount(ctx context.Context, a *Account) error
	FindAccountByName(ctx context.Context, name string) (*Account, error)

	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByName(ctx context.Context, name string) (*User, error)
	FindUsers(ctx context.Context, accountID int64) ([]*User, error)

	CreateAccessKey(ctx context.Context, k *AccessKey) error
	FindAccessKey(ctx context.Context, id string) (*AccessKey, error)
	FindAccessKeys(ctx context.Context, f AccessKeyFilter) ([]*AccessKey, error)
	SetAccessKeyEnabled(ctx context.Context, id string, enabled bool) error
	DeleteAccessKey(ctx context.Context, id string) error
}

// IdentityService manages users and access keys on behalf of the caller in ctx.
type IdentityService interface {
	CreateUser(ctx context.Context, name string, role UserRole) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	// FindUser looks up one user of the caller's account by exact name or, when no user has that name and
	// it is decimal digits, by id. Every user may, not only admins: files and nodes name their owners by id,
	// so a member needs the name-to-id mapping to filter by owner. A user of another account is not found.
	FindUser(ctx context.Context, nameOrID string) (*User, error)
	// CreateAccessKey creates a key for the named user and returns it with its clear-text secret.
	CreateAccessKey(ctx context.Context, userName string) (*AccessKey, error)
	FindAccessKeys(ctx context.Context, userName string) ([]*AccessKey, error)
	SetAccessKeyEnabled(ctx context.Context, id string, enabled bool) error
	DeleteAccessKey(ctx context.Context, id string) error
}

// NonceStore remembers request nonces so that a signed request is accepted once. It lives in the database so
// that the guarantee holds across replicas.
type NonceStore interface {
	// UseNonce records key until expires; it reports false when key was already recorded and has not expired.
	UseNonce(ctx context.Context, key string, expires time.Time) (fresh bool, err error)
	// PurgeNonces forgets nonces that expired before t.
	PurgeNonces(ctx context.Context, t time.Time) (int64, error)
}

// SettingStore keeps small server-wide values, such as the fingerprint of the master key.
type SettingStore interface {
	// PutSettingIfAbsent stores value under name unless a value is there already; it returns the stored value.
	PutSettingIfAbsent(ctx context.Context, name, value string) (string, error)
}
