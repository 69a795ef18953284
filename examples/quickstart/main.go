// Command quickstart creates a MaxCompute project on a Sluice server with the official SDK
// (darabonba-openapi v2: ACS3 signing, ROA style) and lists the projects, as it would against the cloud.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

func main() {
	endpoint := strings.TrimPrefix(os.Getenv("SLUICE_ENDPOINT"), "http://") // the SDK wants host:port
	if endpoint == "" {
		endpoint = "127.0.0.1:8080"
	}
	client, err := openapi.NewClient(&openapi.Config{
		AccessKeyId:     dara.String(os.Getenv("SLUICE_ACCESS_KEY_ID")),
		AccessKeySecret: dara.String(os.Getenv("SLUICE_ACCESS_KEY_SECRET")),
		Endpoint:        dara.String(endpoint),
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
	create := &openapi.OpenApiRequest{Body: dara.String(`{"name": "sales_mc", "comment": "MaxCompute project made with the SDK"}`)}
	if _, err := client.CallApi(roa("CreateProject", "POST", "/api/v1/projects"), create, &dara.RuntimeOptions{}); err != nil {
		log.Fatal(err)
	}
	out, err := client.CallApi(roa("ListProjects", "GET", "/api/v1/projects"), &openapi.OpenApiRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		log.Fatal(err)
	}
	body, err := json.Marshal(out["body"]) // the SDK hands back the decoded JSON as maps
	if err != nil {
		log.Fatal(err)
	}
	var page struct {
		Data struct {
			Projects []struct {
				Name  string `json:"name"`
				Owner string `json:"owner"`
			} `json:"projects"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		log.Fatal(err)
	}
	for _, p := range page.Data.Projects {
		fmt.Println(p.Name, p.Owner)
	}
}
