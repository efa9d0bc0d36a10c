#!/usr/bin/env bash
# Start a throw-away Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, load the five plans
# into it with `sciplan-kg load` (the Graph Store Protocol) and run the remote-endpoint tests
# against it; then tests/publish/test_virtuoso.py, which serves the five plans through
# scripts/virtuoso-serve.sh (`make virtuoso-serve`: the bulk loader) and compares every catalogue
# query with the embedded store. Used by `make virtuoso-test`; never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/virtuoso-lib.sh
. scripts/virtuoso-lib.sh
BIN=${BIN:-.venv/bin}
DIR=$(mktemp -d /tmp/sciplan-virtuoso.XXXXXX)
HTTP_PORT=${VIRTUOSO_HTTP_PORT:-18890}
SQL_PORT=${VIRTUOSO_SQL_PORT:-11111}
virtuoso_ini "$DIR" "$HTTP_PORT" "$SQL_PORT" 20000 > "$DIR/virtuoso.ini"
cleanup() {
  local pid
  pid=$(sed -n 's/^VIRT_PID=//p' "$DIR/virtuoso.lck" 2>/dev/null || true)
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; sleep 2; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
(cd "$DIR" && exec virtuoso-t +configfile "$DIR/virtuoso.ini" +foreground > "$DIR/stdout.log" 2>&1) &
virtuoso_wait "$HTTP_PORT" 120 || { echo "Virtuoso did not start ($DIR/virtuoso.log)" >&2; exit 2; }
# let the anonymous SPARQL user write through the Graph Store Protocol endpoint
isql-vt "$SQL_PORT" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
export SCIPLAN_SPARQL_ENDPOINT="http://127.0.0.1:$HTTP_PORT/sparql"
status=0
"$BIN/pytest" -q -p no:cacheprovider tests/publish/test_remote.py -k external "$@" || status=$?
SCIPLAN_VIRTUOSO=1 BIN="$BIN" "$BIN/pytest" -q -p no:cacheprovider tests/publish/test_virtuoso.py "$@" || status=$?
exit "$status"
