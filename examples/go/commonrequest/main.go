// Command commonrequest calls Sluice with the old Go SDK's CommonRequest
// (github.com/aliyun/alibaba-cloud-sdk-go/sdk), the way scripts reach APIs that have no generated client:
// DataWorks ListProjects in RPC style, and MaxCompute 2022-01-04 CreateProject and GetProject in ROA style.
//
//	SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//	  go run ./examples/go/commonrequest [PROJECT]
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

func main() {
	log.SetFlags(0)
	endpoint := os.Getenv("SLUICE_ENDPOINT")
	if endpoint == "" {
		endpoint = "http://127.0.0.1:8080"
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		log.Fatalf("SLUICE_ENDPOINT %q is not a URL like http://127.0.0.1:8080", endpoint)
	}
	name := "go_common"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}

	client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme(u.Scheme),
		credentials.NewAccessKeyCredential(os.Getenv("SLUICE_ACCESS_KEY_ID"), os.Getenv("SLUICE_ACCESS_KEY_SECRET")))
	if err != nil {
		log.Fatal(err)
	}

	// ROA. The body is JSON and must say so: the SDK's default content type for a body is
	// application/octet-stream.
	body, err := json.Marshal(map[string]string{"name": name, "comment": "made with CommonRequest"})
	if err != nil {
		log.Fatal(err)
	}
	create := maxCompute(u, "POST", "CreateProject", "/api/v1/projects")
	create.SetContent(body)
	create.SetContentType("application/json")
	if _, err := client.ProcessCommonRequest(create); err != nil {
		var se *sdkerrors.ServerError
		// An existing project is fine for this example; anything else is not.
		if !errors.As(err, &se) || se.ErrorCode() != "ObjectAlreadyExists" {
			fail("CreateProject", err)
		}
		fmt.Printf("CreateProject %s: already exists\n", name)
	} else {
		fmt.Printf("CreateProject %s: created\n", name)
	}

	get := maxCompute(u, "GET", "GetProject", "/api/v1/projects/[projectName]")
	get.PathParams["projectName"] = name
	resp, err := client.ProcessCommonRequest(get)
	if err != nil {
		fail("GetProject", err)
	}
	var project struct {
		Data struct{ Name, Owner, Status, Comment string }
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &project); err != nil {
		log.Fatalf("GetProject: %v", err)
	}
	fmt.Printf("GetProject %s: owner %s status %s comment %s\n", project.Data.Name, project.Data.Owner, project.Data.Status, project.Data.Comment)

	// RPC: Domain takes host:port as it is; the parameters go in the query or the form body.
	list := requests.NewCommonRequest()
	list.Method = "POST"
	list.Domain = u.Host
	list.Version = "2020-05-18"
	list.ApiName = "ListProjects"
	list.FormParams["PageSize"] = "100"
	resp, err = client.ProcessCommonRequest(list)
	if err != nil {
		fail("ListProjects", err)
	}
	var page struct {
		PageResult struct {
			TotalCount  int
			ProjectList []struct{ ProjectIdentifier string }
		}
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &page); err != nil {
		log.Fatalf("ListProjects: %v", err)
	}
	for _, p := range page.PageResult.ProjectList {
		fmt.Printf("ListProjects: %s\n", p.ProjectIdentifier)
	}
}

// maxCompute returns a MaxCompute 2022-01-04 request. The old SDK builds ROA URLs as
// scheme://Domain:Port/path, so the host and the port go in separate fields (a Domain of "host:port"
// would give "host:port:").
func maxCompute(u *url.URL, method, action, pathPattern string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method = method
	req.Domain, req.Port = u.Hostname(), u.Port()
	req.Product = "MaxCompute"
	req.Version = "2022-01-04"
	req.ApiName = action
	req.PathPattern = pathPattern
	return req
}

// fail reports an SDK error and exits: a *errors.ServerError is an answer from the server, anything
// else (connection refused, a bad endpoint) a client-side failure.
func fail(action string, err error) {
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		log.Fatalf("%s: HTTP %d %s: %s (request %s)", action, se.HttpStatus(), se.ErrorCode(), se.Message(), se.RequestId())
	}
	log.Fatalf("%s: %v", action, err)
}
