package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// Client calls DataWorks 2020-05-18 actions the way the old Go SDK does: RPC v1 signature (HMAC-SHA1),
// every parameter in a POST form body. The CLI uses it rather than the SDK's typed client so that one set
// of wire structs (File, FileVersion, ...) serves both the server's encoding and the client's decoding, and
// the binary does not carry the SDK's configuration, retry and endpoint machinery.
type Client struct {
	Endpoint        string // base URL, e.g. http://127.0.0.1:8080
	AccessKeyID     string
	AccessKeySecret string
	HTTP            *http.Client // nil: a client with a 60 s timeout
}

// Error is an error answer: the gateway envelope of alibaba-rpc.md §6.3.
type Error = alibaba.ServiceError

// Call sends one action with its parameters and decodes the whole JSON answer into out (when not nil).
func (c *Client) Call(ctx context.Context, action string, params url.Values, out any) error {
	form := url.Values{}
	for k, v := range params {
		form[k] = append([]string(nil), v...)
	}
	form.Set("Action", action)
	form.Set("Version", dataWorksVersion)
	auth.SignRPC("POST", form, c.AccessKeyID, c.AccessKeySecret, time.Now(), "")
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(c.Endpoint, "/")+"/", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	data, err := alibaba.Send(c.HTTP, req)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: decode answer: %w", action, err)
	}
	return nil
}

// data calls an action whose answer is the common envelope and decodes its Data into out.
func (c *Client) data(ctx context.Context, action string, params url.Values, out any) error {
	var env struct{ Data json.RawMessage }
	if err := c.Call(ctx, action, params, &env); err != nil {
		return err
	}
	if out == nil || len(env.Data) == 0 {
		return nil
	}
	return json.Unmarshal(env.Data, out)
}

// Project returns the parameter naming a workspace: ProjectId for a number, else ProjectIdentifier.
func Project(project string) url.Values {
	if _, err := strconv.ParseInt(project, 10, 64); err == nil {
		return url.Values{"ProjectId": {project}}
	}
	return url.Values{"ProjectIdentifier": {project}}
}

// FilePage is one page of ListFiles.
type FilePage struct {
	PageNumber int
	PageSize   int
	TotalCount int
	Files      []File
}

// ListFiles calls ListFiles with params (a workspace and any filters of the action).
func (c *Client) ListFiles(ctx context.Context, params url.Values) (FilePage, error) {
	var p FilePage
	return p, c.data(ctx, "ListFiles", params, &p)
}

// FileDetail is GetFile's Data.
type FileDetail struct {
	File              File
	NodeConfiguration NodeConfiguration
}

// GetFile returns a file with its content and schedule.
func (c *Client) GetFile(ctx context.Context, project string, id int64) (FileDetail, error) {
	q := Project(project)
	q.Set("FileId", strconv.FormatInt(id, 10))
	var d FileDetail
	return d, c.data(ctx, "GetFile", q, &d)
}

// CreateFile creates a file from params (a workspace, FileName, FileType, ...) and returns its id.
func (c *Client) CreateFile(ctx context.Context, params url.Values) (int64, error) {
	var id int64
	return id, c.data(ctx, "CreateFile", params, &id)
}

// UpdateFile changes a file; params carry the workspace, FileId and the fields to change.
func (c *Client) UpdateFile(ctx context.Context, params url.Values) error {
	return c.Call(ctx, "UpdateFile", params, nil)
}

// SubmitFile commits a file and returns the deployment id.
func (c *Client) SubmitFile(ctx context.Context, project string, id int64, comment string) (int64, error) {
	return c.fileAction(ctx, "SubmitFile", project, id, comment)
}

// DeployFile publishes a file's committed version to production and returns the deployment id.
func (c *Client) DeployFile(ctx context.Context, project string, id int64, comment string) (int64, error) {
	return c.fileAction(ctx, "DeployFile", project, id, comment)
}

func (c *Client) fileAction(ctx context.Context, action, project string, id int64, comment string) (int64, error) {
	q := Project(project)
	q.Set("FileId", strconv.FormatInt(id, 10))
	if comment != "" {
		q.Set("Comment", comment)
	}
	var dep int64
	return dep, c.data(ctx, action, q, &dep)
}

// Workflow is one entry of ListBusiness.
type Workflow struct {
	BusinessID   int64 `json:"BusinessId"`
	BusinessName string
	Description  string
	Owner        string
	UseType      string
}

// FindWorkflow returns the workflow named name exactly, or nil when there is none.
func (c *Client) FindWorkflow(ctx context.Context, project, name string) (*Workflow, error) {
	for page := 1; ; page++ {
		q := Project(project)
		q.Set("Keyword", name)
		q.Set("PageNumber", strconv.Itoa(page))
		q.Set("PageSize", "100")
		var p struct {
			TotalCount int
			Business   []Workflow
		}
		if err := c.data(ctx, "ListBusiness", q, &p); err != nil {
			return nil, err
		}
		for i := range p.Business {
			if p.Business[i].BusinessName == name {
				return &p.Business[i], nil
			}
		}
		if len(p.Business) == 0 || page*100 >= p.TotalCount {
			return nil, nil
		}
	}
}

// CreateWorkflow creates a workflow and returns its id.
func (c *Client) CreateWorkflow(ctx context.Context, project, name, description string) (int64, error) {
	q := Project(project)
	q.Set("BusinessName", name)
	if description != "" {
		q.Set("Description", description)
	}
	var out struct {
		BusinessID int64 `json:"BusinessId"`
	}
	return out.BusinessID, c.Call(ctx, "CreateBusiness", q, &out)
}

// ProdFileVersions returns the version of each file deployed to production in a workspace, by file id. It
// walks ListNodes with ProjectEnv=PROD, a page of 100 nodes per call, rather than asking file by file.
func (c *Client) ProdFileVersions(ctx context.Context, project string) (map[int64]int, error) {
	out := map[int64]int{}
	for page, seen := 1, 0; ; page++ {
		q := Project(project)
		q.Set("ProjectEnv", "PROD")
		q.Set("PageNumber", strconv.Itoa(page))
		q.Set("PageSize", "100")
		var p struct {
			TotalCount int
			Nodes      []struct {
				FileID      int64 `json:"FileId"`
				FileVersion int
			}
		}
		if err := c.data(ctx, "ListNodes", q, &p); err != nil {
			return nil, err
		}
		for _, n := range p.Nodes {
			out[n.FileID] = n.FileVersion
		}
		if seen += len(p.Nodes); len(p.Nodes) == 0 || seen >= p.TotalCount {
			return out, nil
		}
	}
}
