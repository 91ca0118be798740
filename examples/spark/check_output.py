#!/usr/bin/env python3
"""Checks the output of tally_spark.py against plain `tally extract` runs.

    check_output.py SPARK_OUT DIRECT DOCS

SPARK_OUT: the output directory of tally_spark.py (part files, plain or .gz).
DIRECT: `tally extract INPUT --errors-inline` on the same JSONL input, run
        in one process: the Spark output must equal it line for line (the
        same documents with the same annotations, the same error records in
        the same places; an error record's file is where the two differ,
        as Spark names files by URI).
DOCS:   `tally extract DIR` of the documents the input was made from: every
        document in it must be in the Spark output, the same.

Records are compared as canonical JSON (keys sorted). Exits 1, naming the
first differences, when anything differs.
"""

import glob
import gzip
import json
import os
import sys


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def spark_records(out_dir):
    parts = sorted(p for p in glob.glob(os.path.join(out_dir, "part-*")) if not p.endswith(".crc"))
    if not parts:
        sys.exit(f"check: {out_dir}: no part files")
    records = []
    for p in parts:
        records.extend(read_jsonl(p))
    return records


def canon(rec):
    if "error" in rec and "text" not in rec:
        # The error record, less the file's name (a path in one run, a URI
        # in the other).
        rec = {k: v for k, v in rec.items() if k != "file"}
    return json.dumps(rec, sort_keys=True, ensure_ascii=False)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    spark_out, direct_path, docs_path = argv
    spark = spark_records(spark_out)
    direct = read_jsonl(direct_path)
    docs = read_jsonl(docs_path)
    problems = []
    if len(spark) != len(direct):
        problems.append(f"{len(spark)} records from Spark, {len(direct)} from one tally process")
    for i, (a, b) in enumerate(zip(spark, direct)):
        if canon(a) != canon(b):
            problems.append(f"record {i + 1} differs:\n  spark:  {canon(a)[:300]}\n  direct: {canon(b)[:300]}")
    by_id = {}
    for r in spark:
        if "text" in r:
            by_id.setdefault(json.dumps(r["id"]), r)
    for d in (d for d in docs if "text" in d):
        r = by_id.get(json.dumps(d["id"]))
        if r is None:
            problems.append(f"document {d['id']!r} of the plain run is missing from the Spark output")
        elif canon(r) != canon(d):
            problems.append(f"document {d['id']!r} differs from the plain run:\n  spark: {canon(r)[:300]}\n  plain: {canon(d)[:300]}")
    errors = sum(1 for r in spark if "error" in r and "text" not in r)
    if problems:
        for p in problems[:10]:
            print("check: " + p, file=sys.stderr)
        sys.exit(f"check: {len(problems)} differences")
    print(f"check: Spark output = one tally process: {len(spark)} records "
          f"({len(spark) - errors} documents, {errors} error records) in input order; "
          f"all {len(docs)} documents of the plain run are identical")


if __name__ == "__main__":
    main(sys.argv[1:])
