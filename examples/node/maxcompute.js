// MaxCompute (ROA, 2022-01-04) through @alicloud/pop-core's ROAClient: create a project unless it
// exists, read it back and list the projects with a name prefix.
//
//   SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//     node maxcompute.js [PROJECT]
'use strict';

const { ROAClient } = require('@alicloud/pop-core');

const client = new ROAClient({
  endpoint: process.env.SLUICE_ENDPOINT || 'http://127.0.0.1:8080', // no trailing slash: paths are appended
  accessKeyId: process.env.SLUICE_ACCESS_KEY_ID,
  accessKeySecret: process.env.SLUICE_ACCESS_KEY_SECRET,
  apiVersion: '2022-01-04',
});

// ROAClient sends the body as given and sets no content type of its own; name it, as the API expects JSON.
const JSON_BODY = { 'content-type': 'application/json' };

async function main() {
  const name = process.argv[2] || 'node_mc';

  try {
    const created = await client.post('/api/v1/projects', {}, JSON.stringify({ name, comment: 'made with pop-core' }), JSON_BODY);
    console.log(`CreateProject ${name}: ${created.data}`);
  } catch (err) {
    // Errors carry the HTTP status and the vendor's code; an existing project is fine for this script.
    if (err.statusCode !== 409 || err.code !== 'ObjectAlreadyExists') {
      throw err;
    }
    console.log(`CreateProject ${name}: already exists`);
  }

  const got = await client.get(`/api/v1/projects/${encodeURIComponent(name)}`, { verbose: 'true' });
  console.log(`GetProject ${name}: owner ${got.data.owner} status ${got.data.status} comment ${got.data.comment}`);

  const prefix = name.slice(0, 4);
  const list = await client.get('/api/v1/projects', { prefix, maxItem: '100' });
  console.log(`ListProjects prefix ${prefix}: ${list.data.projects.map((p) => p.name).join(', ')}`);
}

main().catch((err) => {
  console.error(`${err.code || err.name}: ${err.message}`);
  process.exitCode = 1;
});
