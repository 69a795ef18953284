package sluicetest_test

import (
	"fmt"
	"log"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/sluice-dev/sluice/sluicetest"
)

// Create a MaxCompute project and list it with the official SDK
// (darabonba-openapi v2, ACS3 signing, ROA style), against an embedded server.
func Example() {
	srv, err := sluicetest.Start(sluicetest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Stop()

	client, err := openapi.NewClient(&openapi.Config{
		AccessKeyId:     dara.String(srv.AccessKeyID),
		AccessKeySecret: dara.String(srv.AccessKeySecret),
		Endpoint:        dara.String(srv.Endpoint), // e.g. 127.0.0.1:8080 for `sluice serve`
		Protocol:        dara.String("http"),
	})
	if err != nil {
		log.Fatal(err)
	}
	roa := func(action, method, path string) *openapi.Params {
		return &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTP"),
			Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
			ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	}
	body := `{"name": "sales_dw", "comment": "sales warehouse"}`
	if _, err := client.CallApi(roa("CreateProject", "POST", "/api/v1/projects"), &openapi.OpenApiRequest{Body: dara.String(body)}, &dara.RuntimeOptions{}); err != nil {
		log.Fatal(err)
	}
	out, err := client.CallApi(roa("ListProjects", "GET", "/api/v1/projects"), &openapi.OpenApiRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range out["body"].(map[string]any)["data"].(map[string]any)["projects"].([]any) {
		p := p.(map[string]any)
		fmt.Println(p["name"], p["owner"], p["comment"])
	}
	// Output: sales_dw root sales warehouse
}

// NewServer ties the server's life to a test.
func TestNewServer(t *testing.T) {
	srv := sluicetest.NewServer(t)
	w, err := srv.Client().Whoami(t.Context())
	if err != nil || w.User != "root" || w.AccessKeyID != srv.AccessKeyID {
		t.Fatalf("whoami = %+v, %v", w, err)
	}
}
