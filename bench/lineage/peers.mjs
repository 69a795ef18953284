// Scores the npm parsers a user would otherwise pick on Sluice's lineage
// corpus, and measures their throughput on the generated corpus.
//
//   node --import ./register.mjs peers.mjs score CORPUS_DIR
//   node --import ./register.mjs peers.mjs speed GEN_DIR SECONDS
//
// Each peer gets the same glue a user would write around it: ${var}
// references are swapped for identifiers before parsing and restored after,
// statements are classified as reads or writes from the parser's own output,
// and the spec's script-level rules (session objects, tables created then
// dropped) are applied afterwards. See docs/lineage.md.
import fs from 'node:fs';
import path from 'node:path';
import { HiveSQL, SparkSQL } from 'dt-sql-parser';
import nsp from 'node-sql-parser';

// ANTLR's default error listener prints every syntax error; a user would
// silence it, and printing would dominate the timings.
console.error = () => {};
const quietWarn = console.warn;
console.warn = () => {};

const hive = new HiveSQL();
const spark = new SparkSQL();
const nodeParser = new nsp.Parser();

// --- shared glue -------------------------------------------------------------

// hideVars replaces ${...} with identifiers the parsers accept.
function hideVars(sql) {
  const vars = [];
  const out = sql.replace(/\$\{[^}]*\}/g, (m) => {
    vars.push(m);
    return `__sluicevar${vars.length - 1}__`;
  });
  return { sql: out, vars };
}

function restoreVars(name, vars) {
  return name.replace(/__sluicevar(\d+)__/g, (_, i) => vars[Number(i)]);
}

function norm(name, vars) {
  return restoreVars(name.replace(/`/g, '').replace(/\s+/g, '').toLowerCase(), vars);
}

// splitStatements splits at semicolons outside strings, backquotes and comments.
function splitStatements(sql) {
  const out = [];
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? sql.length : j + 1;
    } else if (c === "'" || c === '"' || c === '`') {
      for (i++; i < sql.length && sql[i] !== c; i++) if (sql[i] === '\\' && c !== '`') i++;
    } else if (c === ';') {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  out.push(sql.slice(start));
  return out.filter((s) => s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '');
}

const NAME = '((?:`[^`]+`|[\\w$]+)(?:\\s*\\.\\s*(?:`[^`]+`|[\\w$]+))*)';
const reTemp = new RegExp(`^\\s*create\\s+(?:or\\s+replace\\s+)?(?:global\\s+)?(?:temporary|temp)\\s+(?:table|view)\\s+(?:if\\s+not\\s+exists\\s+)?${NAME}`, 'i');
const reCreate = new RegExp(`^\\s*create\\s+(?:or\\s+replace\\s+)?(?:external\\s+)?(?:table|view)\\s+(?:if\\s+not\\s+exists\\s+)?${NAME}`, 'i');
const reDrop = new RegExp(`^\\s*drop\\s+(?:table|view)\\s+(?:if\\s+exists\\s+)?${NAME}`, 'i');

function stripComments(s) {
  return s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

// scriptRules applies the spec's script-level rules to per-statement reads
// and writes: session objects and tables created then dropped are not tables.
function scriptRules(stmts, perStmt, vars) {
  const session = new Set();
  const created = new Map();
  const temp = new Set();
  stmts.forEach((s, i) => {
    const t = stripComments(s);
    let m;
    if ((m = reTemp.exec(t))) session.add(norm(m[1], vars));
    else if ((m = reCreate.exec(t))) created.set(norm(m[1], vars), i);
    else if ((m = reDrop.exec(t))) {
      const n = norm(m[1], vars);
      if (created.has(n) && created.get(n) < i) temp.add(n);
    }
  });
  const inputs = new Set();
  const outputs = new Set();
  for (const { reads, writes } of perStmt) {
    for (const n of reads) if (!session.has(n) && !temp.has(n)) inputs.add(n);
    for (const n of writes) if (!session.has(n) && !temp.has(n)) outputs.add(n);
  }
  return { inputs: [...inputs].sort(), outputs: [...outputs].sort() };
}

const isQueryCreate = (s) => /\bas\s*\(?\s*(select|with|from)\b/i.test(stripComments(s));
const WRITE_BEFORE = /(insert\s+(into|overwrite)(\s+table)?|merge\s+into|^\s*update|delete\s+from|into\s+table|\bto)\s*$/i;

// --- dt-sql-parser -------------------------------------------------------------

function dtLineage(script, dialect) {
  const { sql, vars } = hideVars(script);
  const parser = dialect === 'spark' ? spark : hive;
  const stmts = splitStatements(sql);
  const perStmt = [];
  for (const stmt of stmts) {
    const reads = [];
    const writes = [];
    let ents = null;
    try {
      ents = parser.getAllEntities(stmt);
    } catch {
      ents = null;
    }
    for (const e of ents || []) {
      const n = norm(e.text, vars);
      switch (e.entityContextType) {
        case 'tableCreate':
        case 'viewCreate':
          if (isQueryCreate(stmt) && !reTemp.test(stripComments(stmt))) writes.push(n);
          break;
        case 'table':
        case 'view': {
          const before = stmt.slice(0, e.position.startIndex);
          if (WRITE_BEFORE.test(stripComments(before))) writes.push(n);
          else reads.push(n);
          break;
        }
      }
    }
    perStmt.push({ reads, writes });
  }
  return scriptRules(stmts, perStmt, vars);
}

// --- node-sql-parser -------------------------------------------------------------

function nspLineage(script) {
  const { sql, vars } = hideVars(script);
  const stmts = splitStatements(sql);
  const perStmt = [];
  for (const stmt of stmts) {
    const reads = [];
    const writes = [];
    let list = [];
    try {
      list = nodeParser.tableList(stmt, { database: 'Hive' });
    } catch {
      list = [];
    }
    for (const entry of list) {
      const [kind, db, table] = entry.split('::');
      const n = norm(db && db !== 'null' ? `${db}.${table}` : table, vars);
      if (kind === 'select') reads.push(n);
      else if (kind === 'insert' || kind === 'update' || kind === 'delete' || kind === 'replace') writes.push(n);
      else if (kind === 'create' && isQueryCreate(stmt) && !reTemp.test(stripComments(stmt))) writes.push(n);
    }
    perStmt.push({ reads, writes });
  }
  return scriptRules(stmts, perStmt, vars);
}

const peers = {
  'dt-sql-parser': (s, d) => dtLineage(s, d),
  'node-sql-parser': (s) => nspLineage(s),
};

// --- scoring -----------------------------------------------------------------

function addScore(sc, got, want) {
  for (const g of got) want.includes(g) ? sc.tp++ : sc.fp++;
  for (const w of want) if (!got.includes(w)) sc.fn++;
}
const ratio = (a, b) => (b === 0 ? 1 : a / b);

function score(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const result = {};
  for (const [name, fn] of Object.entries(peers)) {
    const inp = { tp: 0, fp: 0, fn: 0 };
    const out = { tp: 0, fp: 0, fn: 0 };
    let exact = 0;
    const perDialect = {};
    for (const f of files) {
      const sql = fs.readFileSync(path.join(dir, f), 'utf8');
      const want = JSON.parse(fs.readFileSync(path.join(dir, f.replace(/\.sql$/, '.expected.json')), 'utf8'));
      const got = fn(sql, want.dialect);
      addScore(inp, got.inputs, want.inputs);
      addScore(out, got.outputs, want.outputs);
      const ok = JSON.stringify(got.inputs) === JSON.stringify(want.inputs) && JSON.stringify(got.outputs) === JSON.stringify(want.outputs);
      const d = (perDialect[want.dialect] ||= { exact: 0, scripts: 0 });
      d.scripts++;
      if (ok) {
        exact++;
        d.exact++;
      }
    }
    result[name] = {
      scripts: files.length,
      exact,
      inputs: { precision: ratio(inp.tp, inp.tp + inp.fp), recall: ratio(inp.tp, inp.tp + inp.fn), ...inp },
      outputs: { precision: ratio(out.tp, out.tp + out.fp), recall: ratio(out.tp, out.tp + out.fn), ...out },
      perDialect,
    };
  }
  return result;
}

// --- speed -------------------------------------------------------------------

function speed(dir, seconds) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const files = manifest.files.map((f) => ({ ...f, sql: fs.readFileSync(path.join(dir, f.name), 'utf8') }));
  const result = {};
  for (const [name, fn] of Object.entries(peers)) {
    fn(files[0].sql, 'odps'); // warm up
    let bytes = 0;
    let statements = 0;
    let scripts = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    for (const f of files) {
      fn(f.sql, 'odps');
      bytes += f.bytes;
      statements += f.statements;
      scripts++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      if (elapsed >= seconds) break;
    }
    result[name] = {
      scripts,
      bytes,
      statements,
      seconds: elapsed,
      mb_per_s: bytes / 1e6 / elapsed,
      statements_per_s: statements / elapsed,
      complete: scripts === files.length,
    };
  }
  return result;
}

const [cmd, dir, arg] = process.argv.slice(2);
if (cmd === 'score') {
  process.stdout.write(JSON.stringify(score(dir), null, 2) + '\n');
} else if (cmd === 'speed') {
  process.stdout.write(JSON.stringify(speed(dir, Number(arg || 20)), null, 2) + '\n');
} else {
  quietWarn('usage: peers.mjs score CORPUS_DIR | speed GEN_DIR SECONDS');
  process.exit(2);
}
