#!/usr/bin/env bash
# Start a throw-away Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, load the five plans
# into it with `sciplan-kg load`, and run the remote-endpoint tests against it. Used by
# `make virtuoso-test`; never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
DIR=$(mktemp -d /tmp/sciplan-virtuoso.XXXXXX)
HTTP_PORT=${VIRTUOSO_HTTP_PORT:-18890}
SQL_PORT=${VIRTUOSO_SQL_PORT:-11111}
INI=/etc/virtuoso-opensource-7/virtuoso.ini
# the packaged configuration, with the database in $DIR and both ports on 127.0.0.1; Virtuoso's
# query-cost estimator (which refuses queries it guesses are slow) off, and its row cap raised
# from 10,000 (a catalogue query over a large corpus returns more)
awk -v dir="$DIR" -v http="$HTTP_PORT" -v sql="$SQL_PORT" '
  /^\[/ { section = $0 }
  section == "[Database]" && /^DatabaseFile/      { print "DatabaseFile = " dir "/virtuoso.db"; next }
  section == "[Database]" && /^ErrorLogFile/      { print "ErrorLogFile = " dir "/virtuoso.log"; next }
  section == "[Database]" && /^LockFile/          { print "LockFile = " dir "/virtuoso.lck"; next }
  section == "[Database]" && /^TransactionFile/   { print "TransactionFile = " dir "/virtuoso.trx"; next }
  section == "[Database]" && /^xa_persistent_file/ { print "xa_persistent_file = " dir "/virtuoso.pxa"; next }
  section == "[TempDatabase]" && /^DatabaseFile/  { print "DatabaseFile = " dir "/virtuoso-temp.db"; next }
  section == "[TempDatabase]" && /^TransactionFile/ { print "TransactionFile = " dir "/virtuoso-temp.trx"; next }
  section == "[Parameters]" && /^ServerPort/      { print "ServerPort = 127.0.0.1:" sql; next }
  section == "[HTTPServer]" && /^ServerPort/      { print "ServerPort = 127.0.0.1:" http; next }
  /^;? *MaxQueryCostEstimationTime/ { next }
  section == "[SPARQL]" && /^ResultSetMaxRows/ { print "ResultSetMaxRows = 1000000"; next }
  $0 == "[SPARQL]" { print; print "MaxQueryCostEstimationTime = 0"; next }
  { print }
' "$INI" > "$DIR/virtuoso.ini"
cleanup() { pkill -f "$DIR/virtuoso.ini" 2>/dev/null || true; sleep 2; rm -rf "$DIR"; }
trap cleanup EXIT
(cd "$DIR" && virtuoso-t +configfile "$DIR/virtuoso.ini" +foreground > "$DIR/stdout.log" 2>&1 & echo $! > "$DIR/pid")
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" >/dev/null 2>&1 && break
  sleep 1
done
# let the anonymous SPARQL user write through the Graph Store Protocol endpoint
isql-vt "$SQL_PORT" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
[ -d build ] || "$BIN/sciplan-kg" build --out build --quiet || true
export SCIPLAN_SPARQL_ENDPOINT="http://127.0.0.1:$HTTP_PORT/sparql"
"$BIN/pytest" -q tests/test_remote.py -k external "$@"
