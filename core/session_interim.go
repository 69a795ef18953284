package core

// Interim, in-memory sessions so the console can be built against the sluice.SessionService contract while
// the stored implementation (core/session.go) is finished; this file is deleted when that lands.

import (
	"context"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/sluice-dev/sluice"
)

var interim = struct {
	sync.Mutex
	passwords map[int64][]byte
	sessions  map[string]*sluice.Session
}{passwords: map[int64][]byte{}, sessions: map[string]*sluice.Session{}}

func (s *Service) SetPassword(ctx context.Context, userName, password string) error {
	if _, err := caller(ctx); err != nil {
		return err
	}
	u, err := s.store.FindUserByName(ctx, userName)
	if err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		return err
	}
	interim.Lock()
	defer interim.Unlock()
	interim.passwords[u.ID] = h
	return nil
}

func (s *Service) SignIn(ctx context.Context, userName, password, _ string) (*sluice.SignIn, error) {
	u, err := s.store.FindUserByName(ctx, userName)
	if err != nil {
		return nil, sluice.Errorf(sluice.EUNAUTHENTICATED, "The user name or password is incorrect.")
	}
	interim.Lock()
	defer interim.Unlock()
	if bcrypt.CompareHashAndPassword(interim.passwords[u.ID], []byte(password)) != nil {
		return nil, sluice.Errorf(sluice.EUNAUTHENTICATED, "The user name or password is incorrect.")
	}
	tok := randomString(32, alnum)
	sess := &sluice.Session{ID: tok, UserID: u.ID, CSRFToken: randomString(32, alnum), CreatedAt: s.now(), ExpiresAt: s.now().Add(24 * 60 * 60 * 1e9)}
	interim.sessions[tok] = sess
	return &sluice.SignIn{Session: sess, User: u, Token: tok}, nil
}

func (s *Service) AuthenticateSession(ctx context.Context, token string) (*sluice.Session, *sluice.User, error) {
	interim.Lock()
	sess := interim.sessions[token]
	interim.Unlock()
	if sess == nil {
		return nil, nil, sluice.Errorf(sluice.EUNAUTHENTICATED, "Sign in to use the console.")
	}
	u, err := s.store.FindUserByID(ctx, sess.UserID)
	return sess, u, err
}

func (s *Service) SignOut(_ context.Context, token string) error {
	interim.Lock()
	defer interim.Unlock()
	delete(interim.sessions, token)
	return nil
}
