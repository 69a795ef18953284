// Package core is the one implementation of Sluice's domain services. Every protocol adapter calls it with
// the authenticated caller in the context, and every decision about who may do what is made here, once.
package core

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/seal"
)

// Store is everything the core keeps.
type Store interface {
	sluice.IdentityStore
	sluice.ProjectStore
	sluice.SettingStore
	sluice.FileStore
	sluice.LineageStore
	sluice.CatalogStore
	sluice.ResourceStore
	sluice.SessionStore
	sluice.AuditStore
}

// Service implements the domain services: sluice.IdentityService, ProjectService, FileService,
// LineageService, ResourceService and SessionService.
type Service struct {
	store Store
	box   *seal.Box

	// The resource centre's bytes: where they are kept, where uploads may copy them from, and the built-in
	// modules every project lists. Set before serving; without Blobs, resource uploads are refused.
	Blobs   sluice.BlobStore
	Sources sluice.SourceOpener
	Modules []*sluice.Module
	// Instance names this server as the owner of the job leases it takes; JobLease is how long a lease
	// lasts without renewal (DefaultJobLease).
	Instance string
	JobLease time.Duration

	// Lineage, when set, receives an OpenLineage event for every committed version (docs/openlineage.md), as
	// jobs of LineageNamespace (the job namespace; "" is openlineage.DefaultNamespace).
	Lineage          LineageEmitter
	LineageNamespace string

	// KeyCacheTTL is how long a verified access key is remembered. A key disabled or deleted through this
	// replica stops working at once; through another replica, within this time.
	KeyCacheTTL time.Duration

	// PasswordCost is the bcrypt cost of console password hashes; 0 is bcrypt.DefaultCost. Tests lower it to
	// bcrypt.MinCost. Raising it applies to passwords set from then on.
	PasswordCost int

	mu              sync.Mutex
	keys            map[string]cachedKey
	listings        map[int64]*sluice.ResourceListing // by project: the last resource listing read, see resourceListing
	packageListings map[string]cachedPackageListing   // by project UUID: the last package listing read, see showPackages
	forgotten       uint64                            // counts forgetKey calls, so a lookup that raced one is not cached
	dummyHashes     map[int][]byte                    // by bcrypt cost: a hash no password matches, see dummyHash
	now             func() time.Time
}

type cachedKey struct {
	key     *sluice.AccessKey
	user    *sluice.User
	expires time.Time
}

var (
	_ sluice.IdentityService = (*Service)(nil)
	_ sluice.SessionService  = (*Service)(nil)
	_ sluice.ProjectService  = (*Service)(nil)
)

// New returns a Service over store, sealing secrets with box.
func New(store Store, box *seal.Box) *Service {
	return &Service{store: store, box: box, KeyCacheTTL: 2 * time.Second, keys: map[string]cachedKey{}, now: time.Now,
		Instance: randomString(16, alnum), JobLease: DefaultJobLease}
}

// masterKeySetting holds the fingerprint of the master key that sealed the stored secrets.
const masterKeySetting = "master_key_fingerprint"

// CheckMasterKey records the master key's fingerprint on first start and refuses a different key later:
// secrets sealed under one key cannot be opened with another.
func (s *Service) CheckMasterKey(ctx context.Context) error {
	stored, err := s.store.PutSettingIfAbsent(ctx, masterKeySetting, s.box.Fingerprint())
	if err != nil {
		return fmt.Errorf("check master key: %w", err)
	}
	if stored != s.box.Fingerprint() {
		return fmt.Errorf("the master key (fingerprint %s) is not the one this database was created with (fingerprint %s): "+
			"start every server of one database with the same %s or master key file", s.box.Fingerprint(), stored, envvar.MasterKey)
	}
	return nil
}

// RootAccount and RootUser name what Bootstrap creates.
const (
	RootAccount = "default"
	RootUser    = "root"
)

// Bootstrap makes sure the root account and user exist. When keyID is set, the root user gets that access key
// (created if missing; a different stored secret is an error). When keyID is empty and the root user has no
// key, one is generated and returned with its secret, to be shown once; otherwise Bootstrap returns nil.
// Concurrent bootstraps of one database agree: the loser of each race finds what the winner made.
func (s *Service) Bootstrap(ctx context.Context, keyID, secret string) (*sluice.AccessKey, error) {
	acct, err := s.store.FindAccountByName(ctx, RootAccount)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		acct = &sluice.Account{Name: RootAccount}
		if err = s.store.CreateAccount(ctx, acct); sluice.ErrorCode(err) == sluice.ECONFLICT {
			acct, err = s.store.FindAccountByName(ctx, RootAccount)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("bootstrap account: %w", err)
	}
	root, err := s.store.FindUserByName(ctx, RootUser)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		root = &sluice.User{AccountID: acct.ID, Name: RootUser, Role: sluice.UserRoot}
		if err = s.store.CreateUser(ctx, root); sluice.ErrorCode(err) == sluice.ECONFLICT {
			root, err = s.store.FindUserByName(ctx, RootUser)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("bootstrap root user: %w", err)
	}
	if root.Role != sluice.UserRoot {
		return nil, fmt.Errorf("bootstrap: user %q exists but is not the root user", RootUser)
	}

	if keyID != "" {
		if secret == "" {
			return nil, errors.New("bootstrap: a root access key id needs its secret")
		}
		k, err := s.store.FindAccessKey(ctx, keyID)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			k, err = s.createKey(ctx, root, keyID, secret)
			if sluice.ErrorCode(err) == sluice.ECONFLICT {
				k, err = s.store.FindAccessKey(ctx, keyID)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("bootstrap root key: %w", err)
		}
		stored, err := s.openSecret(k)
		if err != nil {
			return nil, err
		}
		if k.UserID != root.ID || stored != secret {
			return nil, fmt.Errorf("bootstrap: access key %s exists with another owner or secret", keyID)
		}
		return nil, nil
	}

	keys, err := s.store.FindAccessKeys(ctx, sluice.AccessKeyFilter{UserID: &root.ID})
	if err != nil {
		return nil, fmt.Errorf("bootstrap root key: %w", err)
	}
	if len(keys) > 0 {
		return nil, nil
	}
	return s.createKey(ctx, root, newKeyID(), newSecret())
}

func (s *Service) createKey(ctx context.Context, u *sluice.User, id, secret string) (*sluice.AccessKey, error) {
	k := &sluice.AccessKey{ID: id, UserID: u.ID, UserName: u.Name, Enabled: true, Secret: secret,
		SealedSecret: s.box.Seal([]byte(secret), []byte(id))}
	if err := s.store.CreateAccessKey(ctx, k); err != nil {
		return nil, err
	}
	return k, nil
}

func (s *Service) openSecret(k *sluice.AccessKey) (string, error) {
	b, err := s.box.Open(k.SealedSecret, []byte(k.ID))
	if err != nil {
		return "", fmt.Errorf("open secret of access key %s: %w", k.ID, err)
	}
	return string(b), nil
}

// Authenticate returns an access key with its clear-text secret, and its user, for a protocol adapter to
// verify a signature. It returns disabled keys too: telling "disabled" from "unknown" is the adapter's job.
func (s *Service) Authenticate(ctx context.Context, keyID string) (*sluice.AccessKey, *sluice.User, error) {
	now := s.now()
	s.mu.Lock()
	c, ok := s.keys[keyID]
	s.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.key, c.user, nil
	}
	s.mu.Lock()
	generation := s.forgotten
	s.mu.Unlock()
	k, err := s.store.FindAccessKey(ctx, keyID)
	if err != nil {
		return nil, nil, err
	}
	if k.Secret, err = s.openSecret(k); err != nil {
		return nil, nil, err
	}
	u, err := s.store.FindUserByID(ctx, k.UserID)
	if err != nil {
		return nil, nil, err
	}
	if s.KeyCacheTTL > 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.forgotten != generation { // a key was disabled or deleted meanwhile: this read may be stale
			return k, u, nil
		}
		if len(s.keys) > 10000 { // bounded: forget everything rather than grow without end
			s.keys = map[string]cachedKey{}
		}
		s.keys[keyID] = cachedKey{key: k, user: u, expires: now.Add(s.KeyCacheTTL)}
	}
	return k, u, nil
}

func (s *Service) forgetKey(id string) {
	s.mu.Lock()
	delete(s.keys, id)
	s.forgotten++
	s.mu.Unlock()
}

// caller returns the authenticated caller or an EUNAUTHENTICATED error.
func caller(ctx context.Context) (*sluice.User, error) {
	c := sluice.CallerFromContext(ctx)
	if c == nil || c.User == nil {
		return nil, sluice.Errorf(sluice.EUNAUTHENTICATED, "The request is not authenticated.")
	}
	return c.User, nil
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)] // 256 % 62 bias is negligible next to 30 characters of entropy
	}
	return string(b)
}

// newKeyID returns an access key id in the vendors' shape: "LTAI" and 20 letters and digits.
func newKeyID() string { return "LTAI" + randomString(20, alnum) }

// newSecret returns a 30-character secret (about 178 bits).
func newSecret() string { return randomString(30, alnum) }
