// DataWorks (RPC, 2020-05-18) through @alicloud/pop-core's RPCClient: create a workspace, a workflow and
// a SQL file, commit it, list its folder, ask which task produces the table it writes, list workspaces.
//
//   SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//     node dataworks.js [WORKSPACE]
'use strict';

const { RPCClient } = require('@alicloud/pop-core');

const client = new RPCClient({
  endpoint: process.env.SLUICE_ENDPOINT || 'http://127.0.0.1:8080', // scheme and host[:port], no path
  accessKeyId: process.env.SLUICE_ACCESS_KEY_ID,
  accessKeySecret: process.env.SLUICE_ACCESS_KEY_SECRET,
  apiVersion: '2020-05-18',
});

// pop-core sends GET with every parameter in the URL unless told otherwise; POST sends them as a form
// body, which keeps file contents out of URLs and logs.
const POST = { method: 'POST' };

async function main() {
  const workspace = process.argv[2] || 'node_demo';
  const folder = '业务流程/sales/MaxCompute/ods';

  const project = await client.request('CreateProject', {
    ProjectIdentifier: workspace,
    ProjectName: 'Node.js demo',
  }, POST);
  const projectId = project.Data;
  console.log(`CreateProject ${workspace}: ProjectId ${projectId}`);

  const workflow = await client.request('CreateBusiness', {
    ProjectId: projectId,
    BusinessName: 'sales',
    UseType: 'NORMAL',
  }, POST);
  console.log(`CreateBusiness sales: BusinessId ${workflow.BusinessId}`);

  const file = await client.request('CreateFile', {
    ProjectId: projectId,
    FileFolderPath: folder,
    CreateFolderIfNotExists: true,
    FileName: 'ods_orders',
    FileType: 10, // ODPS SQL
    AutoParsing: true, // record table lineage when the file is committed
    Content: 'INSERT OVERWRITE TABLE ods_orders SELECT * FROM src_orders;\n',
  }, POST);
  const fileId = file.Data;
  console.log(`CreateFile ods_orders: FileId ${fileId}`);

  const submit = await client.request('SubmitFile', { ProjectId: projectId, FileId: fileId, Comment: 'first version' }, POST);
  console.log(`SubmitFile ${fileId}: DeploymentId ${submit.Data}`);

  const page = await client.request('ListFiles', { ProjectId: projectId, FileFolderPath: folder, PageSize: 100 }, POST);
  for (const f of page.Data.Files) {
    console.log(`ListFiles: ${f.FileName} type ${f.FileType} committed ${f.CommitStatus === 1} version ${f.CurrentVersion}`);
  }

  const tasks = await client.request('GetMetaTableProducingTasks', {
    DataSourceType: 'odps',
    TableGuid: `odps.${workspace}.ods_orders`,
  }, POST);
  for (const t of tasks.Data) {
    console.log(`GetMetaTableProducingTasks odps.${workspace}.ods_orders: ${t.TaskName}`);
  }

  const projects = await client.request('ListProjects', { PageNumber: 1, PageSize: 100 }, POST);
  console.log(`ListProjects: ${projects.PageResult.ProjectList.map((p) => p.ProjectIdentifier).join(', ')}`);
}

main().catch((err) => {
  // RPCClient throws when an answer's Code is not a success code: err.code is the vendor's code (e.g.
  // InvalidParameter.Conflict for a taken name) and err.data the whole error body. Transport failures
  // and non-JSON answers arrive as ordinary errors without a code.
  console.error(`${err.code || err.name}: ${err.data ? err.data.Message : err.message}`);
  process.exitCode = 1;
});
