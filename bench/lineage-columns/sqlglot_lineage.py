"""Scores sqlglot's lineage() on Sluice's column-lineage corpus, and times it.

    python3 sqlglot_lineage.py score CORPUS_DIR SCHEMA_DDL
    python3 sqlglot_lineage.py speed GEN_DIR SCHEMA_DDL SECONDS

sqlglot answers for one SELECT and one output column at a time, so each
INSERT / CREATE TABLE AS / CREATE VIEW statement's query is asked for each of
its output columns; the target column is named as Sluice names it (the INSERT
column list, else the target's schema by position without static partition
columns, else the select's output name). Sources are the leaf table columns
of the answer. Scripts or statements sqlglot cannot parse score no edges.
sqlglot has no ODPS dialect: ODPS and Hive scripts are read as Hive.
"""
import glob
import json
import os
import re
import sys
import time

import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage


def read_schemas(path):
    schemas = {}
    for m in re.finditer(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\)(?: PARTITIONED BY \((.*?)\))?;", open(path).read()):
        cols = []
        for part in (m.group(2), m.group(3) or ""):
            depth = 0
            cur = ""
            for ch in part:
                depth += ch in "(<"
                depth -= ch in ")>"
                if ch == "," and depth == 0:
                    cols.append(cur.split()[0])
                    cur = ""
                else:
                    cur += ch
            if cur.strip():
                cols.append(cur.split()[0])
        schemas[m.group(1).lower()] = [c.lower() for c in cols]
    return schemas


def table_name(t):
    """catalog.db.name as written, lower case."""
    return ".".join(p for p in (t.args.get("catalog") and t.args["catalog"].name,
                                t.args.get("db") and t.args["db"].name, t.name) if p).lower()


def edges_of(node, out):
    """Adds TABLE.COLUMN leaves under a lineage node to out."""
    for n in node.walk():
        tables = [d for d in n.downstream if isinstance(d.expression, exp.Table)]
        if not tables:
            continue
        for col in n.expression.find_all(exp.Column):
            for t in tables:
                if col.table == t.name:
                    out.add(table_name(t.expression) + "." + col.name.lower())


def static_partitions(sql):
    m = re.search(r"PARTITION\s*\((.*?)\)", sql, re.I | re.S)
    if not m:
        return [], []
    static, dyn = [], []
    for p in m.group(1).split(","):
        name = p.split("=")[0].strip().lower()
        (static if "=" in p else dyn).append(name)
    return static, dyn


def statements(script, dialect):
    """(text, tree) of each statement: sqlglot splits the whole script; when
    one statement fails, the script is split at semicolons outside comments
    and each part is parsed alone, so one failure costs one statement."""
    try:
        trees = sqlglot.parse(script, read=dialect)
        texts = [t.sql(dialect=dialect) if t is not None else "" for t in trees]
        return list(zip(texts, trees))
    except Exception:
        pass
    text = "\n".join(l for l in script.split("\n") if not l.lstrip().startswith("--"))
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        try:
            out.append((part, sqlglot.parse_one(part, read=dialect)))
        except Exception:
            pass
    return out


def answer(script, dialect, schemas):
    """Column edges (target|source) sqlglot gives for one script."""
    typed = {t: {c: "STRING" for c in cols} for t, cols in schemas.items()}
    got = set()
    for stmt_sql, stmt in statements(script, dialect):
        if stmt is None:
            continue
        target, query, cols = None, None, None
        if isinstance(stmt, exp.Insert):
            this = stmt.this
            if isinstance(this, exp.Schema):
                cols = [c.name.lower() for c in this.expressions]
                this = this.this
            if isinstance(this, exp.Table):
                target = table_name(this)
            query = stmt.expression
            # WITH ... INSERT: sqlglot keeps the WITH on the INSERT; the
            # query needs it to see its CTEs.
            w = stmt.args.get("with")
            if w is not None and isinstance(query, exp.Subqueryable) and not query.args.get("with"):
                query = query.copy()
                query.set("with", w.copy())
        elif isinstance(stmt, exp.Create) and stmt.expression is not None:
            this = stmt.this
            if isinstance(this, exp.Schema):
                cols = [c.name.lower() for c in this.expressions]
                this = this.this
            target = this.name.lower() if isinstance(this, exp.Table) else None
            query = stmt.expression
        if target is None or not isinstance(query, exp.Subqueryable):
            continue
        try:
            outs = [s.alias_or_name.lower() for s in query.selects]
        except Exception:
            continue
        static, dyn = static_partitions(stmt_sql)
        if cols is None and target.split(".")[-1] in schemas:
            cols = [c for c in schemas[target.split(".")[-1]] if c not in static and c not in dyn] + dyn
        elif cols is None and dyn and len(outs) >= len(dyn):
            # Unknown target: dynamic partitions take the last expressions.
            cols = outs[:len(outs) - len(dyn)] + dyn
        for i, out in enumerate(outs):
            tcol = cols[i] if cols and i < len(cols) else out
            try:
                node = lineage(out, query.copy(), schema=typed, dialect=dialect)
            except Exception:
                continue
            srcs = set()
            try:
                edges_of(node, srcs)
            except Exception:
                pass
            for s in srcs:
                got.add(target + "." + tcol + "|" + s)
    return got


def score(corpus, ddl):
    schemas = read_schemas(ddl)
    tp = fp = fn = 0
    for path in sorted(glob.glob(os.path.join(corpus, "*.sql"))):
        name = os.path.basename(path)
        dialect = "spark" if name.startswith("spark_") else "hive"
        want = set()
        for c in json.load(open(path[:-4] + ".json"))["columns"]:
            for s in c["sources"]:
                want.add(c["target"] + "|" + s)
        got = answer(open(path).read(), dialect, schemas)
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(json.dumps({"sqlglot": {"version": sqlglot.__version__, "precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": fp, "fn": fn}}))


def speed(gen, ddl, seconds):
    schemas = read_schemas(ddl)
    manifest = json.load(open(os.path.join(gen, "manifest.json")))
    done = 0
    start = time.process_time()
    for f in manifest["files"]:
        script = open(os.path.join(gen, f["name"])).read()
        answer(script, "hive", schemas)
        done += len(script.encode())
        if time.process_time() - start > seconds:
            break
    sec = time.process_time() - start
    print(json.dumps({"sqlglot": {"version": sqlglot.__version__, "bytes": done, "seconds": round(sec, 3), "mb_per_s": done / 1e6 / sec}}))


if __name__ == "__main__":
    if sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3])
    else:
        speed(sys.argv[2], sys.argv[3], float(sys.argv[4]))
