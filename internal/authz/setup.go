package authz

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// TargetProject is the project every operation of the matrix is called on.
const TargetProject = "authz_target"

// Target is the target project of a server, and a user per role.
type Target struct {
	Users map[Role]string     // user names
	Keys  map[Role]native.Key // their access keys
	Fixture
}

// Password is the console password of each user of the matrix.
func Password(user string) string { return "pw-" + user + "-matrix" }

// ImportFiles are the files Setup expects in the server's import root (sluicetest.Options.ImportRoots),
// which the resource uploads of the matrix read; WriteImports writes them.
var ImportFiles = []string{"authz_up.jar", "authz_up.py", "authz_up.txt"}

// WriteImports writes ImportFiles into a new directory and returns it.
func WriteImports(t testing.TB) string {
	dir := t.TempDir()
	for _, name := range ImportFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("PK upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Setup makes, as srv's root user: the target project with a workflow, folders, committed SQL files, two
// tables, a lineage relation, resources, a function and a package holding some of them; a member of it per
// project role; a consumer project that installed the package, whose owner is the consumer, and which
// offers the target a package of its own to install; an outsider, who owns another project only; and a
// bystander user, whom member and key operations name. Each user has an access key and a console password
// (Password). imports is the server's import root (WriteImports).
func Setup(t testing.TB, srv *sluicetest.Server, imports string) *Target {
	t.Helper()
	ctx := context.Background()
	root := srv.Client()
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	p, err := root.CreateProject(ctx, TargetProject, "", "")
	check("create project", err)
	for _, name := range []string{"authz_consumer", "authz_elsewhere"} {
		_, err := root.CreateProject(ctx, name, "", "")
		check("create project", err)
	}
	_, rootUser, err := srv.Server.Core.Authenticate(ctx, srv.AccessKeyID)
	check("authenticate", err)
	rctx := sluice.NewContextWithCaller(ctx, &sluice.Caller{User: rootUser})
	tg := &Target{Users: map[Role]string{Owner: "az_owner", Admin: "az_admin", Developer: "az_dev",
		Viewer: "az_viewer", NonMember: "az_outsider", Consumer: "az_consumer"}, Keys: map[Role]native.Key{}}
	for _, role := range Roles {
		name := tg.Users[role]
		_, err := root.CreateUser(ctx, name, "member")
		check("create user", err)
		tg.Keys[role], err = root.CreateKey(ctx, name)
		check("create key", err)
		check("set password", srv.Server.Core.SetPassword(rctx, name, Password(name)))
		project, memberRole := TargetProject, string(role)
		switch role {
		case NonMember:
			project, memberRole = "authz_elsewhere", "owner"
		case Consumer:
			project, memberRole = "authz_consumer", "owner"
		}
		_, err = root.PutMember(ctx, project, name, memberRole)
		check("put member", err)
	}
	_, err = root.CreateUser(ctx, "az_bystander", "member")
	check("create bystander", err)
	spareKey, err := root.CreateKey(ctx, "az_bystander")
	check("create key", err)
	for _, name := range []string{"authz_res.jar", "authz_res2.jar"} {
		jar := "PK jar bytes"
		_, err := root.UploadResource(ctx, TargetProject, "authz_grp", "jar", name, strings.NewReader(jar), int64(len(jar)), "")
		check("upload", err)
	}
	_, err = root.RunSQL(ctx, TargetProject, `CREATE TABLE authz_tab (a BIGINT, b STRING);
CREATE TABLE authz_tab2 (a BIGINT, b STRING);
CREATE FUNCTION authz_fn AS 'com.example.Fn' USING 'authz_res.jar';
CREATE PACKAGE authz_pkg;
ADD TABLE authz_tab TO PACKAGE authz_pkg;
ADD RESOURCE authz_res.jar TO PACKAGE authz_pkg;
ADD FUNCTION authz_fn TO PACKAGE authz_pkg;
ALLOW PROJECT authz_consumer TO INSTALL PACKAGE authz_pkg;
CREATE PACKAGE authz_pkg2;`)
	check("sql", err)
	_, err = root.RunSQL(ctx, "authz_consumer", `INSTALL PACKAGE authz_target.authz_pkg;
CREATE TABLE c_tab (a BIGINT);
CREATE PACKAGE c_pkg;
ADD TABLE c_tab TO PACKAGE c_pkg;
ALLOW PROJECT authz_target TO INSTALL PACKAGE c_pkg;`)
	check("consumer sql", err)

	// DataWorks objects.
	ref := sluice.ProjectByID(p.ID)
	const dir = "业务流程/authz_flow/MaxCompute/authz_dir"
	biz, err := srv.Server.Core.CreateWorkflow(rctx, ref, sluice.Workflow{Name: "authz_flow", UseType: sluice.UseNormal})
	check("workflow", err)
	spareBiz, err := srv.Server.Core.CreateWorkflow(rctx, ref, sluice.Workflow{Name: "authz_flow_spare", UseType: sluice.UseNormal})
	check("workflow", err)
	folder, err := srv.Server.Core.CreateFolder(rctx, ref, dir)
	check("folder", err)
	spareFolder, err := srv.Server.Core.CreateFolder(rctx, ref, dir+"_spare")
	check("folder", err)
	file, err := srv.Server.Core.CreateFile(rctx, ref, sluice.File{FolderPath: dir, Name: "authz_file", Type: 10, AutoParsing: true,
		UseType: sluice.UseNormal, Content: "INSERT OVERWRITE TABLE authz_tab2 SELECT a, b FROM authz_tab;"}, false)
	check("file", err)
	spareFile, err := srv.Server.Core.CreateFile(rctx, ref, sluice.File{FolderPath: dir, Name: "authz_file_spare", Type: 10,
		UseType: sluice.UseNormal, Content: "SELECT 1;"}, false)
	check("file", err)
	dep, err := srv.Server.Core.SubmitFile(rctx, ref, file.ID, "first")
	check("submit", err)
	file, err = srv.Server.Core.FindFile(rctx, ref, file.ID)
	check("find file", err)
	_, err = srv.Server.Core.CreateLineageRelation(rctx, sluice.TableRef{Project: TargetProject, Name: "authz_tab2"},
		sluice.TableRef{Project: TargetProject, Name: "authz_tab3"}, "", "")
	check("relation", err)

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	pid, fileID := id(p.ID), id(file.ID)
	real := Values{
		// DataWorks and MaxCompute RPC.
		"ProjectId": pid, "ProjectIdentifier": TargetProject, "ProjectName": TargetProject,
		"CreateProject.ProjectIdentifier": "authz_new_dw", "CreateProject.ProjectName": "authz_new_dw",
		"BusinessId": id(biz.ID), "DeleteBusiness.BusinessId": id(spareBiz.ID), "BusinessName": "authz_flow_new", "UseType": "NORMAL",
		"FolderId": folder.ID, "DeleteFolder.FolderId": spareFolder.ID, "FolderPath": dir, "CreateFolder.FolderPath": dir + "_new",
		"FolderName": "authz_dir_renamed", "FileId": fileID, "DeleteFile.FileId": id(spareFile.ID), "FileName": "authz_file_new",
		"FileFolderPath": dir, "FileType": "10", "Content": "SELECT 1;", "NodeId": id(file.NodeID), "DeploymentId": id(dep.ID),
		"FileVersion": "1", "Comment": "c", "ProjectEnv": "DEV", "PageNumber": "1", "PageSize": "10",
		"TableGuid": "odps.authz_target.authz_tab", "ColumnGuid": "odps.authz_target.authz_tab.a", "ColumnName": "a",
		"DataSourceType": "odps", "DatabaseName": TargetProject, "TableName": "authz_tab",
		"EntityQualifiedName": "maxcompute-table.authz_target.authz_tab", "Direction": "down",
		"SrcEntityQualifiedName":                        "maxcompute-table.authz_target.authz_tab",
		"DestEntityQualifiedName":                       "maxcompute-table.authz_target.authz_tab2",
		"DeleteLineageRelation.SrcEntityQualifiedName":  "maxcompute-table.authz_target.authz_tab2",
		"DeleteLineageRelation.DestEntityQualifiedName": "maxcompute-table.authz_target.authz_tab3",
		"Description": "d", "ParentFolderPath": "业务流程/authz_flow/MaxCompute",
		"UpdateBusiness.BusinessName": "authz_flow_upd", "UpdateBusiness.BusinessId": id(spareBiz.ID), "UpdateFolder.FolderId": spareFolder.ID,
		"UpdateFile.FileName":                                "authz_file_upd",
		"LineageRelationRegisterVO.SrcEntity.QualifiedName":  "maxcompute-table.authz_target.authz_tab",
		"LineageRelationRegisterVO.DestEntity.QualifiedName": "maxcompute-table.authz_target.authz_tab2",
		// MaxCompute ROA.
		"projectName": TargetProject, "tableName": "authz_tab", "packageName": "authz_pkg", "maxItem": "10",
		"schemaName": "default", "isInstall": "false", "UpdatePackage.packageName": "authz_pkg2",
		// DLI.
		"project_id": p.UUID, "resource_name": "authz_res.jar", "DeleteJobResource.resource_name": "authz_res2.jar",
		"group": "authz_grp", "kind": "jar", "resource_type": "dli_package_resource", "resource_id": "authz_grp/authz_res.jar",
		"new_owner": "az_dev", "limit": "10", "offset": "0", "UploadJarJobResources.group": "authz_grp_up",
		"UploadJobResources.group": "authz_grp_up1", "UploadPythonFileJobResources.group": "authz_grp_up2",
		"UploadFileJobResources.group": "authz_grp_up3", "paths": "file://" + filepath.Join(imports, "authz_up.jar"),
		"UploadPythonFileJobResources.paths": "file://" + filepath.Join(imports, "authz_up.py"),
		"UploadFileJobResources.paths":       "file://" + filepath.Join(imports, "authz_up.txt"),
		// Native and the console.
		"project": TargetProject, "user": "az_bystander", "key": spareKey.AccessKeyID, "name": "authz_res.jar",
		"file": fileID, "id": fileID, "version": "1", "table": "odps.authz_target.authz_tab2", "column": "odps.authz_target.authz_tab2.a",
		"maxItems": "10",
	}
	secrets := []string{TargetProject, p.UUID, "authz_tab", "authz_fn", "authz_res", "authz_pkg", "authz_flow", "authz_dir", "authz_file", "authz_grp"}
	objects := map[string]string{}
	for _, s := range secrets[2:] {
		objects[s] = strings.Replace(s, "authz_", "authz_no_", 1)
	}
	const noID = "987654321"
	tg.Fixture = Fixture{
		Real: real,
		GhostProject: real.Ghost(map[string]string{TargetProject: "authz_ghost"},
			map[string]string{"ProjectId": noID, "project_id": "0123456789abcdef0123456789abcdef"}),
		GhostObjects: real.Ghost(objects, map[string]string{"BusinessId": noID, "FolderId": "f" + noID, "FileId": noID,
			"NodeId": noID, "DeploymentId": noID, "file": noID, "id": noID}),
		Secrets: secrets,
	}
	return tg
}
