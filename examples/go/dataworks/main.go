// Command dataworks drives Sluice's DataWorks face with the old Go SDK's typed client
// (github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public): it creates a workspace, a workflow
// and a SQL file, commits the file and lists its folder.
//
//	SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//	  go run ./examples/go/dataworks [WORKSPACE]
package main

import (
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
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
	workspace := "go_dataworks"
	if len(os.Args) > 1 {
		workspace = os.Args[1]
	}

	// The region only picks an endpoint, and Domain below overrides that; Sluice ignores RegionId.
	// WithScheme: the old SDK's default is HTTP already; say so, and use "HTTPS" behind TLS.
	client, err := dataworks.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme(u.Scheme),
		credentials.NewAccessKeyCredential(os.Getenv("SLUICE_ACCESS_KEY_ID"), os.Getenv("SLUICE_ACCESS_KEY_SECRET")))
	if err != nil {
		log.Fatal(err)
	}
	client.Domain = u.Host // host:port; RPC requests go to scheme://Domain/

	create := dataworks.CreateCreateProjectRequest()
	create.ProjectIdentifier = workspace
	create.ProjectName = "Go demo"
	project, err := client.CreateProject(create)
	if err != nil {
		fail("CreateProject", err)
	}
	fmt.Printf("CreateProject %s: ProjectId %d\n", workspace, project.Data)
	projectID := requests.NewInteger64(project.Data)

	wf := dataworks.CreateCreateBusinessRequest()
	wf.ProjectId = projectID
	wf.BusinessName = "sales"
	wf.UseType = "NORMAL"
	workflow, err := client.CreateBusiness(wf)
	if err != nil {
		fail("CreateBusiness", err)
	}
	fmt.Printf("CreateBusiness sales: BusinessId %d\n", workflow.BusinessId)

	const folder = "业务流程/sales/MaxCompute/ods"
	cf := dataworks.CreateCreateFileRequest()
	cf.ProjectId = projectID
	cf.FileFolderPath = folder
	cf.CreateFolderIfNotExists = requests.NewBoolean(true)
	cf.FileName = "ods_orders"
	cf.FileType = requests.NewInteger(10) // ODPS SQL
	cf.AutoParsing = requests.NewBoolean(true)
	cf.Content = "INSERT OVERWRITE TABLE ods_orders SELECT * FROM src_orders;\n"
	file, err := client.CreateFile(cf)
	if err != nil {
		fail("CreateFile", err)
	}
	fmt.Printf("CreateFile ods_orders: FileId %d\n", file.Data)

	submit := dataworks.CreateSubmitFileRequest()
	submit.ProjectId = projectID
	submit.FileId = requests.NewInteger64(file.Data)
	submit.Comment = "first version"
	deployment, err := client.SubmitFile(submit)
	if err != nil {
		fail("SubmitFile", err)
	}
	fmt.Printf("SubmitFile %d: DeploymentId %d\n", file.Data, deployment.Data)

	list := dataworks.CreateListFilesRequest()
	list.ProjectId = projectID
	list.FileFolderPath = folder
	list.PageSize = requests.NewInteger(100)
	page, err := client.ListFiles(list)
	if err != nil {
		fail("ListFiles", err)
	}
	for _, f := range page.Data.Files {
		fmt.Printf("ListFiles: %s type %d committed %t version %d\n", f.FileName, f.FileType, f.CommitStatus == 1, f.CurrentVersion)
	}

	// A refused request is a *errors.ServerError with the HTTP status and the vendor's code.
	if _, err := client.CreateProject(create); err != nil {
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) {
			log.Fatal(err)
		}
		fmt.Printf("CreateProject %s again: HTTP %d %s\n", workspace, se.HttpStatus(), se.ErrorCode())
	}
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
