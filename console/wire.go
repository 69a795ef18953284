package console

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/sluice-dev/sluice"
)

// The console API's JSON shapes. Field names are lowerCamelCase; times are RFC 3339. docs/console.md lists
// the operations.

// Error is the body of every refused or failed API request.
type Error struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

// Page is one page of a list, paged on the server.
type Page[T any] struct {
	Items      []T `json:"items"`
	TotalCount int `json:"totalCount"`
}

// User is the signed-in user or a user named in an answer.
type User struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// Session is what the page learns about its sign-in: who, and the token to send in X-CSRF-Token.
type Session struct {
	User      User   `json:"user"`
	CSRFToken string `json:"csrfToken"`
}

func userOut(u *sluice.User) User { return User{ID: u.ID, Name: u.Name, Role: string(u.Role)} }

// download is an answer sent as bytes rather than JSON.
type download struct {
	name string
	size int64
	hash string // hex SHA-256, sent for the client to check
	body io.ReadCloser
}

func (d *download) write(w http.ResponseWriter) {
	defer d.body.Close()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.FormatInt(d.size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.name}))
	if d.hash != "" {
		h.Set("X-Sluice-Sha256", d.hash)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, d.body) // a failure mid-stream shows to the client as a short body
}
