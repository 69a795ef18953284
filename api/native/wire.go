// Package native is Sluice's own API under /sluice/v1/: users, access keys, projects and their members.
// It is what the sluice CLI talks to. Requests are signed like the Alibaba faces (ACS3-HMAC-SHA256 with
// x-acs-action naming the operation and x-acs-version "sluice-v1"), so one key and one verifier serve
// every face. Bodies are JSON; answers are {"requestId": ..., "data": ...}; errors are
// {"requestId": ..., "code": ..., "message": ...} with a 4xx or 5xx status.
package native

import (
	"time"

	"github.com/sluice-dev/sluice"
)

// Version is the x-acs-version of the native API.
const Version = "sluice-v1"

// User is a user on the wire. ID is the number files and nodes name their Owner, CreateUser and
// LastEditUser by. GetUser, open to every user, answers the id and name only.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

// Key is an access key on the wire. The secret is sent once, when the key is created.
type Key struct {
	AccessKeyID     string    `json:"accessKeyId"`
	AccessKeySecret string    `json:"accessKeySecret,omitempty"`
	UserID          int64     `json:"userId"`
	User            string    `json:"user"`
	Enabled         bool      `json:"enabled"`
	CreatedAt       time.Time `json:"createdAt"`
}

// Project is a project on the wire.
type Project struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	UUID        string    `json:"uuid"`
	Owner       string    `json:"owner"`
	DisplayName string    `json:"displayName"`
	Comment     string    `json:"comment"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Member is a project membership on the wire.
type Member struct {
	Project   string    `json:"project"`
	UserID    int64     `json:"userId"`
	User      string    `json:"user"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
}

// Page is one page of a list.
type Page[T any] struct {
	Items      []T    `json:"items"`
	TotalCount int    `json:"totalCount"`
	NextMarker string `json:"nextMarker,omitempty"`
}

// Whoami describes the caller.
type Whoami struct {
	UserID      int64  `json:"userId"`
	User        string `json:"user"`
	Role        string `json:"role"`
	AccessKeyID string `json:"accessKeyId"`
}

type createUser struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// setPassword is the body of SetPassword.
type setPassword struct {
	Password string `json:"password"`
}

type createProject struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Comment     string `json:"comment,omitempty"`
}

type putMember struct {
	Role string `json:"role"`
}

func userOut(u *sluice.User) User {
	return User{ID: u.ID, Name: u.Name, Role: string(u.Role), CreatedAt: u.CreatedAt}
}

func keyOut(k *sluice.AccessKey) Key {
	return Key{AccessKeyID: k.ID, AccessKeySecret: k.Secret, UserID: k.UserID, User: k.UserName, Enabled: k.Enabled, CreatedAt: k.CreatedAt}
}

func projectOut(p *sluice.Project) Project {
	return Project{ID: p.ID, Name: p.Name, UUID: p.UUID, Owner: p.OwnerName, DisplayName: p.DisplayName, Comment: p.Comment, CreatedAt: p.CreatedAt}
}

func memberOut(project string, m *sluice.Member) Member {
	return Member{Project: project, UserID: m.UserID, User: m.UserName, Role: string(m.Role), CreatedAt: m.CreatedAt}
}
