#!/usr/bin/env bash
# Runs examples/spark/tally_spark.py on corpus/ with two local executors
# (local[2]) and checks its output against plain tally runs. Installs what
# it needs on a fresh Debian machine: a headless JRE (Debian's
# openjdk-17-jre-headless) when `java` is missing, and pyspark from PyPI
# into a virtual environment (target/spark-venv, or $TALLY_SPARK_VENV).
#
#   examples/spark/ci.sh TALLY_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
tally="$(realpath "${1:?usage: examples/spark/ci.sh TALLY_BINARY}")"
pyspark_version="4.3.0"
venv="${TALLY_SPARK_VENV:-$PWD/target/spark-venv}"
say() { echo "spark-ci: $*"; }
fail() { echo "spark-ci: FAILED: $*" >&2; exit 1; }
step_start=$SECONDS
timed() { say "$1 ($((SECONDS - step_start)) s)"; step_start=$SECONDS; }

# Debian packages, installed with apt-get (the list updated once).
apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "$1 is missing, and there is no apt-get to install $*"
  say "installing $* (Debian packages)"
  if [ -z "$apt_updated" ]; then
    apt-get update -qq >>/tmp/spark-ci-apt.log 2>&1 \
      || { tail -20 /tmp/spark-ci-apt.log >&2; fail "apt-get update failed (log above)"; }
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>/tmp/spark-ci-apt.log 2>&1 \
    || { tail -20 /tmp/spark-ci-apt.log >&2; fail "apt-get install $* failed (log above)"; }
}

# Java: Spark 4 needs 17 or newer.
if ! command -v java >/dev/null 2>&1; then
  apt_install openjdk-17-jre-headless
  command -v java >/dev/null 2>&1 || fail "openjdk-17-jre-headless installed, but java is still not on PATH"
  timed "installed java"
fi
java -version 2>&1 | head -1

# pyspark in a virtual environment.
command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$pyspark_version')" 2>/dev/null; then
  say "installing pyspark $pyspark_version into $venv"
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/tmp/spark-ci-pip.log 2>&1; then
    # Debian's python3 makes virtual environments with python3-venv only.
    rm -rf "$venv"
    apt_install python3-venv
    python3 -m venv "$venv" >>/tmp/spark-ci-pip.log 2>&1 \
      || { tail -20 /tmp/spark-ci-pip.log >&2; fail "python3 -m venv failed (log above)"; }
  fi
  "$venv/bin/pip" install -q "pyspark==$pyspark_version" >>/tmp/spark-ci-pip.log 2>&1 \
    || { tail -20 /tmp/spark-ci-pip.log >&2; fail "pip install pyspark==$pyspark_version failed (log above)"; }
  timed "installed pyspark"
fi
say "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The corpus as gzipped JSONL (id: the file name without .txt, as tally
# names a text file in a directory), then bad lines at the end: a malformed
# line, an empty text, and the id of the first document again (a duplicate
# across partitions). A blank line in the middle is no record.
"$venv/bin/python" - corpus "$work/input.jsonl.gz" <<'EOF'
import gzip, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(src) if n.endswith(".txt"))
with gzip.open(dst, "wt", encoding="utf-8") as out:
    for i, n in enumerate(names):
        with open(os.path.join(src, n), "rb") as f:
            text = f.read().decode("utf-8-sig")
        out.write(json.dumps({"id": n[:-4], "text": text}, ensure_ascii=False) + "\n")
        if i == 10:
            out.write("\n")
    out.write('{"id": "broken", "text": \n')
    out.write(json.dumps({"id": "empty", "text": " "}) + "\n")
    out.write(json.dumps({"id": names[0][:-4], "text": "A second document with the first id."}) + "\n")
print(f"spark-ci: {len(names)} documents and 3 bad lines in {dst}")
EOF

# The references: one tally process on the same JSONL, and on corpus/.
"$tally" extract "$work/input.jsonl.gz" --errors-inline -o "$work/direct.jsonl" 2>"$work/direct.err" \
  || { cat "$work/direct.err" >&2; fail "tally extract --errors-inline exited with status $?"; }
"$tally" extract corpus/ -o "$work/plain.jsonl" 2>"$work/plain.err" \
  || { cat "$work/plain.err" >&2; fail "tally extract corpus/ failed"; }
timed "plain tally runs done"

# The Spark job: two local executors, the lines spread over two partitions;
# Spark listens on the loopback interface only.
export PYSPARK_PYTHON="$venv/bin/python" SPARK_LOCAL_IP=127.0.0.1
"$venv/bin/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false \
  --driver-java-options "-Dlog4j.rootLogger=ERROR" \
  examples/spark/tally_spark.py --tally "$tally" --partitions 2 \
  --parquet "$work/out.parquet" "$work/input.jsonl.gz" "$work/out" \
  >"$work/spark.log" 2>&1 \
  || { tail -40 "$work/spark.log" >&2; fail "spark-submit failed (log above)"; }
grep '^tally_spark:' "$work/spark.log" || true
timed "Spark job done"

"$venv/bin/python" examples/spark/check_output.py "$work/out" "$work/direct.jsonl" "$work/plain.jsonl" \
  || fail "the Spark output differs from plain tally runs"
# The Parquet copy holds the same records, in the same order.
"$venv/bin/python" - "$work/out.parquet" "$work/direct.jsonl" 2>"$work/parquet.log" <<'EOF' \
  || { tail -20 "$work/parquet.log" >&2; fail "the Parquet output differs (log above)"; }
import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
rows = spark.read.parquet(sys.argv[1]).orderBy("file", "line").collect()
direct = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
got = [json.loads(r.record) for r in rows]
drop = lambda r: {k: v for k, v in r.items() if k != "file"}
assert len(got) == len(direct), (len(got), len(direct))
assert all(drop(a) == drop(b) for a, b in zip(got, direct)), "records differ"
assert sum(r.error is not None for r in rows) == 3, [r.error for r in rows if r.error]
print(f"spark-ci: Parquet: {len(rows)} rows, the same records")
spark.stop()
EOF
timed "checks done"
say "ok"
