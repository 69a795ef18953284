// Command darabonba calls Sluice with darabonba-openapi v2
// (github.com/alibabacloud-go/darabonba-openapi/v2), the core of Alibaba's current generated Go SDKs:
// DataWorks CreateProject and ListProjects in RPC style, MaxCompute 2022-01-04 CreateProject and
// ListProjects in ROA style, all signed with ACS3-HMAC-SHA256 (the default).
//
//	SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//	  go run ./examples/go/darabonba [NAME]
package main

import (
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
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
	name := "go_dara"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}

	// Endpoint is host:port without a scheme; Protocol says plain HTTP, which overrides the HTTPS that
	// each API's metadata asks for. RegionId is not needed when Endpoint is set.
	client, err := openapi.NewClient(&openapi.Config{
		AccessKeyId:     dara.String(os.Getenv("SLUICE_ACCESS_KEY_ID")),
		AccessKeySecret: dara.String(os.Getenv("SLUICE_ACCESS_KEY_SECRET")),
		Endpoint:        dara.String(u.Host),
		Protocol:        dara.String(u.Scheme),
	})
	if err != nil {
		log.Fatal(err)
	}
	runtime := &dara.RuntimeOptions{}

	// RPC: the parameters the generated DataWorks client would send, in the form body.
	rpc := func(action string) *openapi.Params {
		return &openapi.Params{Action: dara.String(action), Version: dara.String("2020-05-18"),
			Protocol: dara.String("HTTPS"), Pathname: dara.String("/"), Method: dara.String("POST"),
			AuthType: dara.String("AK"), Style: dara.String("RPC"), ReqBodyType: dara.String("formData"),
			BodyType: dara.String("json")}
	}
	out, err := client.CallApi(rpc("CreateProject"), &openapi.OpenApiRequest{
		Body: map[string]any{"ProjectIdentifier": name, "ProjectName": "darabonba demo"},
	}, runtime)
	if err != nil {
		fail("DataWorks CreateProject", err)
	}
	// CallApi answers {"body": the decoded JSON, "headers": ..., "statusCode": ...}.
	fmt.Printf("DataWorks CreateProject %s: ProjectId %v\n", name, out["body"].(map[string]any)["Data"])

	out, err = client.CallApi(rpc("ListProjects"), &openapi.OpenApiRequest{
		Body: map[string]any{"PageNumber": 1, "PageSize": 100},
	}, runtime)
	if err != nil {
		fail("DataWorks ListProjects", err)
	}
	page := out["body"].(map[string]any)["PageResult"].(map[string]any)
	for _, p := range page["ProjectList"].([]any) {
		fmt.Printf("DataWorks ListProjects: %v\n", p.(map[string]any)["ProjectIdentifier"])
	}

	// ROA: method and path name the action; the body is JSON text.
	roa := func(action, method, path string) *openapi.Params {
		return &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"),
			Protocol: dara.String("HTTPS"), Pathname: dara.String(path), Method: dara.String(method),
			AuthType: dara.String("AK"), Style: dara.String("ROA"), ReqBodyType: dara.String("json"),
			BodyType: dara.String("json")}
	}
	_, err = client.CallApi(roa("CreateProject", "POST", "/api/v1/projects"), &openapi.OpenApiRequest{
		Body: map[string]any{"name": name + "_mc", "comment": "made with darabonba"},
	}, runtime)
	if err != nil {
		fail("MaxCompute CreateProject", err)
	}
	fmt.Printf("MaxCompute CreateProject %s_mc: created\n", name)

	out, err = client.CallApi(roa("ListProjects", "GET", "/api/v1/projects"), &openapi.OpenApiRequest{
		Query: map[string]*string{"prefix": dara.String(name)},
	}, runtime)
	if err != nil {
		fail("MaxCompute ListProjects", err)
	}
	data := out["body"].(map[string]any)["data"].(map[string]any)
	for _, p := range data["projects"].([]any) {
		p := p.(map[string]any)
		fmt.Printf("MaxCompute ListProjects: %v owner %v\n", p["name"], p["owner"])
	}

	// CallApi hands every failure back as a *tea.SDKError; for an answer from the server it carries the
	// HTTP status and the vendor's code.
	_, err = client.CallApi(roa("GetProject", "GET", "/api/v1/projects/"+name+"_missing"), &openapi.OpenApiRequest{}, runtime)
	var refused *tea.SDKError
	if !errors.As(err, &refused) {
		log.Fatalf("MaxCompute GetProject of a missing project: want a refusal, got %v", err)
	}
	fmt.Printf("MaxCompute GetProject %s_missing: HTTP %d %s\n", name, tea.IntValue(refused.StatusCode), tea.StringValue(refused.Code))
}

// fail reports an error and exits; a StatusCode of 0 means no answer came (connection refused, a bad
// endpoint, missing credentials).
func fail(action string, err error) {
	var se *tea.SDKError
	if errors.As(err, &se) {
		log.Fatalf("%s: HTTP %d %s: %s", action, tea.IntValue(se.StatusCode), tea.StringValue(se.Code), tea.StringValue(se.Message))
	}
	log.Fatalf("%s: %v", action, err)
}
