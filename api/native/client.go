package native

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// Client calls the native API of a Sluice server.
type Client struct {
	Endpoint        string // base URL, e.g. http://127.0.0.1:8080
	AccessKeyID     string
	AccessKeySecret string
	HTTP            *http.Client // nil: a client with a 60 s timeout
}

// Error is an error answer of the server.
type Error = alibaba.ServiceError

// do signs and sends one request and decodes its data into out (when not nil).
func (c *Client) do(ctx context.Context, method, action, path string, query url.Values, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	u := strings.TrimSuffix(c.Endpoint, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("content-type", "application/json; charset=utf-8")
	}
	req.Header.Set("accept", "application/json")
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", Version)
	auth.SignACS3(req, body, c.AccessKeyID, c.AccessKeySecret, time.Now(), "")
	return c.send(c.HTTP, req, out)
}

// streamClient sends requests whose bodies are streamed: c.HTTP, or a client without the default 60 s
// limit on a whole exchange, which a large file would outlast; the caller's context bounds it instead.
func (c *Client) streamClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{}
}

// send sends a signed request through hc (nil: alibaba.Send's default) and decodes its data into out
// (when not nil).
func (c *Client) send(hc *http.Client, req *http.Request, out any) error {
	data, err := alibaba.Send(hc, req)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	if len(env.Data) == 0 {
		return nil
	}
	return json.Unmarshal(env.Data, out)
}

// Whoami returns the caller's identity.
func (c *Client) Whoami(ctx context.Context) (Whoami, error) {
	var w Whoami
	return w, c.do(ctx, "GET", "Whoami", "/sluice/v1/whoami", nil, nil, &w)
}

// CreateUser creates a user with role "member" (default) or "admin".
func (c *Client) CreateUser(ctx context.Context, name, role string) (User, error) {
	var u User
	return u, c.do(ctx, "POST", "CreateUser", "/sluice/v1/users", nil, createUser{Name: name, Role: role}, &u)
}

// ListUsers lists the users of the caller's account.
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	var p Page[User]
	return p.Items, c.do(ctx, "GET", "ListUsers", "/sluice/v1/users", nil, nil, &p)
}

// GetUser looks up one user of the caller's account by name, or by id when no user has that name. Any
// user may; the answer carries the id and name only.
func (c *Client) GetUser(ctx context.Context, nameOrID string) (User, error) {
	var u User
	return u, c.do(ctx, "GET", "GetUser", "/sluice/v1/users/"+url.PathEscape(nameOrID), nil, nil, &u)
}

// CreateKey creates an access key for a user; the answer carries the secret.
func (c *Client) CreateKey(ctx context.Context, user string) (Key, error) {
	var k Key
	return k, c.do(ctx, "POST", "CreateAccessKey", "/sluice/v1/users/"+url.PathEscape(user)+"/keys", nil, nil, &k)
}

// ListKeys lists the keys of one user, or of the whole account when user is "".
func (c *Client) ListKeys(ctx context.Context, user string) ([]Key, error) {
	var q url.Values
	if user != "" {
		q = url.Values{"user": {user}}
	}
	var p Page[Key]
	return p.Items, c.do(ctx, "GET", "ListAccessKeys", "/sluice/v1/keys", q, nil, &p)
}

// SetPassword sets the named user's console password: an admin for any user of its account, any user for
// itself. The user's console sessions end.
func (c *Client) SetPassword(ctx context.Context, user, password string) error {
	return c.do(ctx, "PUT", "SetPassword", "/sluice/v1/users/"+url.PathEscape(user)+"/password", nil, setPassword{Password: password}, nil)
}

// SetKeyEnabled enables or disables a key.
func (c *Client) SetKeyEnabled(ctx context.Context, id string, enabled bool) error {
	op, action := "disable", "DisableAccessKey"
	if enabled {
		op, action = "enable", "EnableAccessKey"
	}
	return c.do(ctx, "POST", action, "/sluice/v1/keys/"+url.PathEscape(id)+"/"+op, nil, nil, nil)
}

// DeleteKey deletes a key.
func (c *Client) DeleteKey(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", "DeleteAccessKey", "/sluice/v1/keys/"+url.PathEscape(id), nil, nil, nil)
}

// CreateProject creates a project owned by the caller.
func (c *Client) CreateProject(ctx context.Context, name, displayName, comment string) (Project, error) {
	var p Project
	return p, c.do(ctx, "POST", "CreateProject", "/sluice/v1/projects", nil, createProject{Name: name, DisplayName: displayName, Comment: comment}, &p)
}

// ListProjects lists the caller's projects, following every page.
func (c *Client) ListProjects(ctx context.Context, prefix string) ([]Project, error) {
	var all []Project
	marker := ""
	for {
		q := url.Values{"maxItems": {"1000"}}
		if prefix != "" {
			q.Set("prefix", prefix)
		}
		if marker != "" {
			q.Set("marker", marker)
		}
		var p Page[Project]
		if err := c.do(ctx, "GET", "ListProjects", "/sluice/v1/projects", q, nil, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextMarker == "" {
			return all, nil
		}
		marker = p.NextMarker
	}
}

// GetProject returns a project by name, numeric id or uuid.
func (c *Client) GetProject(ctx context.Context, project string) (Project, error) {
	var p Project
	return p, c.do(ctx, "GET", "GetProject", "/sluice/v1/projects/"+url.PathEscape(project), nil, nil, &p)
}

// DeleteProject deletes a project.
func (c *Client) DeleteProject(ctx context.Context, project string) error {
	return c.do(ctx, "DELETE", "DeleteProject", "/sluice/v1/projects/"+url.PathEscape(project), nil, nil, nil)
}

// ListMembers lists a project's members.
func (c *Client) ListMembers(ctx context.Context, project string) ([]Member, error) {
	var p Page[Member]
	return p.Items, c.do(ctx, "GET", "ListMembers", "/sluice/v1/projects/"+url.PathEscape(project)+"/members", nil, nil, &p)
}

// PutMember adds a user to a project or changes its role.
func (c *Client) PutMember(ctx context.Context, project, user, role string) (Member, error) {
	var m Member
	return m, c.do(ctx, "PUT", "PutMember", "/sluice/v1/projects/"+url.PathEscape(project)+"/members/"+url.PathEscape(user), nil, putMember{Role: role}, &m)
}

// DeleteMember removes a user from a project.
func (c *Client) DeleteMember(ctx context.Context, project, user string) error {
	return c.do(ctx, "DELETE", "DeleteMember", "/sluice/v1/projects/"+url.PathEscape(project)+"/members/"+url.PathEscape(user), nil, nil, nil)
}

// RunSQL runs a script of MaxCompute metadata statements in project, all or nothing, and returns one result
// per statement.
func (c *Client) RunSQL(ctx context.Context, project, script string) ([]SQLResult, error) {
	var out SQLResults
	err := c.do(ctx, "POST", "RunSQL", "/sluice/v1/projects/"+url.PathEscape(project)+"/sql", nil, SQLScript{Script: script}, &out)
	return out.Results, err
}
