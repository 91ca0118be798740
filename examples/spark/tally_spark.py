#!/usr/bin/env python3
"""Run `tally extract` over JSONL documents with Apache Spark (PySpark).

Reads JSONL files of {"id": ..., "text": ...} records (gzipped or not; a
file, a directory of them, or a glob, on any file system Spark reads: local,
HDFS, S3...), runs the tally binary on each partition as
`tally extract - --errors-inline`, and writes exactly one JSON line per
non-blank input line, in input order: the document's annotations, or its
error record {"file", "line", "id", "error"}, with the input file and that
file's line number (not the partition's). An id seen earlier in the input,
in any partition, makes the later document an error record, as a single
`tally extract` would.

The binary is shipped to the executors with SparkContext.addFile and run by
the absolute path SparkFiles.get gives, with a small explicit environment
(the model is built into tally: nothing else is needed on the executors).

    spark-submit --master 'local[2]' examples/spark/tally_spark.py \
        --tally target/release/tally docs.jsonl.gz out/

OUT is a directory of part files (part-00000, part-00001, ...) whose
concatenation in name order is the output in input order; with --parquet
DIR, the same records also go to DIR as Parquet (columns file, line, id,
error, record). See examples/spark/README.md.
"""

import argparse
import json
import os
import subprocess
import sys
import threading

# The message of a single tally run, kept word for word.
DUPLICATE = "duplicate id: an earlier document has the same id"


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run tally extract over JSONL documents with Spark, one output line per input line, in order."
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL file (.gz or not), directory of them, or glob; several are read in the order given")
    p.add_argument("output", metavar="OUT", help="output directory of JSONL part files (must not exist)")
    p.add_argument("--tally", required=True,
                   help="path of the tally binary on the driver (shipped to the executors)")
    p.add_argument("--parquet", metavar="DIR", help="also write the records as Parquet to DIR")
    p.add_argument("--partitions", type=int,
                   help="spread the lines over this many partitions (keeps input order; "
                        "a .gz file is otherwise one partition)")
    p.add_argument("--threads", type=int, default=0,
                   help="threads of each tally process (default: spark.task.cpus, else 1)")
    p.add_argument("--window", type=int, default=64, help="tally's --window")
    p.add_argument("--compress", choices=["none", "gzip"], default="none",
                   help="compress the JSONL part files")
    return p.parse_args(argv)


def list_files(sc, spec):
    """The files a path, directory or glob names, through Hadoop's file
    system API (so hdfs:// and s3a:// work as local paths do), sorted;
    hidden files (_SUCCESS, .crc) are left out."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(spec)
    fs = path.getFileSystem(conf)
    statuses = fs.globStatus(path)
    if statuses is None or len(statuses) == 0:
        raise SystemExit(f"tally_spark: {spec}: no such file or directory")
    files = []
    for st in statuses:
        if st.isDirectory():
            it = fs.listFiles(st.getPath(), True)
            while it.hasNext():
                f = it.next()
                name = f.getPath().getName()
                if not name.startswith((".", "_")):
                    files.append(f.getPath().toString())
        else:
            files.append(st.getPath().toString())
    return sorted(set(files), key=lambda f: f)


def tally_partition(tally_name, threads, window):
    """The function run on each partition: feeds its non-blank lines to one
    `tally extract - --errors-inline` process and yields one record per
    line, as ((file index, line), file, line, output JSON)."""

    def run(items):
        from pyspark import SparkFiles

        items = [x for x in items if x[3].strip()]
        if not items:
            return
        exe = SparkFiles.get(tally_name)
        if not os.access(exe, os.X_OK):
            os.chmod(exe, 0o755)
        cmd = [exe, "extract", "-", "--errors-inline", "--window", str(window)]
        if threads > 0:
            cmd += ["--threads", str(threads)]
        # An explicit environment: the binary needs none, and a TALLY_MODEL
        # left on an executor must not change the model.
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        stderr_tail = []

        def feed():
            try:
                for x in items:
                    proc.stdin.write(x[3].encode("utf-8") + b"\n")
                proc.stdin.close()
            except BrokenPipeError:
                pass  # tally ended early: its exit status says why

        def drain():
            for line in proc.stderr:
                stderr_tail.append(line.decode("utf-8", "replace").rstrip())
                del stderr_tail[:-20]

        threads_ = [threading.Thread(target=feed), threading.Thread(target=drain)]
        for t in threads_:
            t.daemon = True
            t.start()
        outputs = [line for line in proc.stdout]
        code = proc.wait()
        for t in threads_:
            t.join()
        if code != 0:
            raise RuntimeError(
                f"tally exited with status {code} on a partition of {len(items)} lines:\n"
                + "\n".join(stderr_tail))
        if len(outputs) != len(items):
            raise RuntimeError(
                f"tally wrote {len(outputs)} lines for {len(items)} input lines:\n"
                + "\n".join(stderr_tail))
        for (file_index, file, line_no, _), out in zip(items, outputs):
            rec = json.loads(out)
            if "error" in rec and "text" not in rec:
                # The partition's stream is standard input to tally: give
                # the record the real file and line.
                rec["file"] = file
                rec["line"] = line_no
                out = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            else:
                out = out.decode("utf-8").rstrip("\n")
            yield ((file_index, line_no), file, line_no, out)

    return run


def id_key(rec):
    """The id as tally compares ids: its JSON text (1 and "1" differ)."""
    return json.dumps(rec.get("id"), ensure_ascii=False, separators=(",", ":"))


def main(argv):
    args = parse_args(argv)
    from pyspark import SparkContext, StorageLevel
    from pyspark.sql import SparkSession

    # The driver only ships the binary; each executor makes its copy
    # executable if it has to.
    if not os.path.isfile(args.tally):
        raise SystemExit(f"tally_spark: --tally {args.tally}: no such file")
    spark = SparkSession.builder.appName("tally extract").getOrCreate()
    sc: SparkContext = spark.sparkContext
    tally_path = os.path.abspath(args.tally)
    sc.addFile(tally_path)
    threads = args.threads or int(sc.getConf().get("spark.task.cpus", "1"))

    files = []
    for spec in args.inputs:
        files.extend(f for f in list_files(sc, spec) if f not in files)
    # (file index, file, line, text) for every line, in input order: each
    # file's lines are numbered by zipWithIndex, and union keeps the order
    # of its parts.
    parts = []
    for i, f in enumerate(files):
        lines = sc.textFile(f).zipWithIndex()
        parts.append(lines.map(lambda x, i=i, f=f: (i, f, x[1] + 1, x[0])))
    lines = sc.union(parts) if len(parts) > 1 else parts[0]
    if args.partitions:
        # A range partitioning on (file, line) spreads a large or gzipped
        # file over the executors and keeps the order.
        lines = lines.sortBy(lambda x: (x[0], x[2]), numPartitions=args.partitions)

    results = lines.mapPartitions(
        tally_partition(os.path.basename(tally_path), threads, args.window)
    ).persist(StorageLevel.MEMORY_AND_DISK)

    # Duplicate ids across partitions: tally checks its own partition; an id
    # whose first document (in input order) is in an earlier partition makes
    # every later document with that id an error record. The ids seen more
    # than once are few: they are gathered on the driver with their first
    # place.
    def result_ids(r):
        rec = json.loads(r[3])
        if "text" in rec:
            yield (id_key(rec), (r[0], 1))

    repeated = (results.flatMap(result_ids)
                .reduceByKey(lambda a, b: (min(a[0], b[0]), a[1] + b[1]))
                .filter(lambda kv: kv[1][1] > 1)
                .mapValues(lambda v: v[0])
                .collectAsMap())
    first_of = sc.broadcast(repeated)

    def mark_duplicates(r):
        key, file, line_no, out = r
        if not first_of.value:
            return out
        rec = json.loads(out)
        if "text" in rec:
            first = first_of.value.get(id_key(rec))
            if first is not None and first != key:
                return json.dumps({"file": file, "line": line_no, "id": rec.get("id"), "error": DUPLICATE},
                                  ensure_ascii=False, separators=(",", ":"))
        return out

    records = results.map(lambda r: (r[1], r[2], mark_duplicates(r)))
    codec = "org.apache.hadoop.io.compress.GzipCodec" if args.compress == "gzip" else None
    records.map(lambda r: r[2]).saveAsTextFile(args.output, compressionCodecClass=codec)

    if args.parquet:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        def row(r):
            rec = json.loads(r[2])
            err = rec.get("error") if "text" not in rec else None
            return (r[0], r[1], None if "id" not in rec else json.dumps(rec["id"], ensure_ascii=False), err, r[2])

        schema = StructType([
            StructField("file", StringType(), False),
            StructField("line", LongType(), False),
            StructField("id", StringType(), True),
            StructField("error", StringType(), True),
            StructField("record", StringType(), False),
        ])
        spark.createDataFrame(records.map(row), schema).write.parquet(args.parquet)

    n_docs = results.count()
    n_err = records.filter(lambda r: '"error"' in r[2] and "text" not in json.loads(r[2])).count()
    print(f"tally_spark: {n_docs} records written to {args.output} ({n_err} error records, "
          f"{len(repeated)} ids repeated across the input), from {len(files)} file(s) "
          f"in {results.getNumPartitions()} partition(s)", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
