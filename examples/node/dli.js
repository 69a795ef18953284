// DLI resource packages (Huawei REST, /v2.0/{project_id}/resources) through @huaweicloud/huaweicloud-sdk-core,
// the client every Huawei Cloud Node.js service SDK is built on: upload a file the server may import, list,
// show and delete it. The project is a Sluice project's name or 32-hex uuid.
//
//   SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//     node dli.js PROJECT file:///an/import/root/data.csv
'use strict';

const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials');

const [project, source] = process.argv.slice(2);
const credentials = new BasicCredentials()
  .withAk(process.env.SLUICE_ACCESS_KEY_ID)
  .withSk(process.env.SLUICE_ACCESS_KEY_SECRET)
  .withProjectId(project); // fills {project_id} in every path
const client = new ClientBuilder((hcClient) => hcClient)
  .withCredential(credentials)
  .withEndpoint(process.env.SLUICE_ENDPOINT || 'http://127.0.0.1:8080')
  .build();

// sendRequest signs with SDK-HMAC-SHA256 and resolves to the decoded body.
function call(method, url, more) {
  return client.sendRequest({ method, url, contentType: 'application/json', headers: {}, pathParams: { project_id: project }, ...more });
}

async function main() {
  const name = source.slice(source.lastIndexOf('/') + 1);
  const up = await call('POST', '/v2.0/{project_id}/resources', { data: { paths: [source], kind: 'file', group: 'node' } });
  console.log(`UploadJobResources ${up.group_name}: ${up.details.map((d) => `${d.resource_name} ${d.status}`).join(', ')}`);

  const list = await call('GET', '/v2.0/{project_id}/resources', { queryParams: { kind: 'file' } });
  console.log(`ListJobResources kind=file: total ${list.total}, groups ${list.groups.map((g) => g.group_name).join(', ')}`);

  const one = { pathParams: { project_id: project, resource_name: name }, queryParams: { group: 'node' } };
  const show = await call('GET', '/v2.0/{project_id}/resources/{resource_name}', one);
  console.log(`ShowJobResource ${name}: ${show.status} ${show.resource_type} ${show.underlying_name.endsWith(`_${name}`)}`);

  await call('DELETE', '/v2.0/{project_id}/resources/{resource_name}', one);
  console.log(`DeleteJobResource ${name}: done`);
}

main().catch((err) => {
  // Errors carry the HTTP status and DLI's error_code and error_msg.
  console.error(`${err.errorCode || err.name}: ${err.errorMsg || err.message}`);
  process.exitCode = 1;
});
