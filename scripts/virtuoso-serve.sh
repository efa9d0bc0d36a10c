#!/usr/bin/env bash
# Serve a build folder's whole graph from Virtuoso (Debian's virtuoso-opensource 7) on 127.0.0.1:
# the next size after the embedded store (docs/scaling.md). Used by `make virtuoso-serve` and
# `make virtuoso-stop`.
#
#   scripts/virtuoso-serve.sh [start|stop|status] [BUILD]      (BUILD defaults to build)
#
# Everything lives in BUILD.virtuoso/ beside the build folder (build/ → build.virtuoso/), a folder
# this script owns (marked by its .sciplan-virtuoso file; a folder of that name without the mark
# is refused, never deleted): the database (db/), the bulk loader's folder of hard links to the
# build's graph files (load/), the ports.
#
# Loading: every graph file of the build (dataset.graph_files: each plan's asserted and inferred
# triples, the registry, ontology, similarity, parents and dataset graphs) goes through
# Virtuoso's bulk loader (ld_dir + rdf_loader_run, one loader per core) into ONE named graph,
# https://w3id.org/sciplan-kg/id/graph/corpus, as the embedded store holds the whole graph in
# one graph. Not a graph per plan (what `sciplan-kg load` writes): `--endpoint` names the
# server's sciplan-kg graphs as the query's default graph (default-graph-uri), and over a few
# hundred graphs Virtuoso 7 answers that with a Link header per graph (Python's http.client
# refuses more than 100 headers: `--endpoint` fails from ~100 plans) and plans the query over
# the list slowly (docs/scaling.md). The rows are the same: the union of the plans' graphs.
# The bulk loader parses inside the server, without a transaction log, several files at once;
# the Graph Store Protocol (one HTTP PUT per graph, N-Triples serialized by rdflib first) is
# several times slower at 3,000 plans. A plan changed in the build is a new load (the digest
# below), as a changed corpus is for the embedded store's full load. The
# database is loaded again only when the build's graph files changed since (a digest of their
# paths, sizes and times in db/loaded.json, written last: a load that was interrupted has none,
# and is done again from an empty database).
#
# Environment: VIRTUOSO_HOME (BUILD.virtuoso), VIRTUOSO_HTTP_PORT (8890), VIRTUOSO_SQL_PORT (1111), VIRTUOSO_BUFFERS (cache pages
# of 8 KiB, 131072 = 1 GiB), VIRTUOSO_WRITABLE=1 (let the anonymous SPARQL user write, so that
# `sciplan-kg load --endpoint` can replace a plan's graph; off by default), BIN (.venv/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/virtuoso-lib.sh
. scripts/virtuoso-lib.sh
BIN=${BIN:-.venv/bin}
ACTION=${1:-start}
DATA=${2:-${DATA:-build}}
DATA=${DATA%/}
HOME_DIR=${VIRTUOSO_HOME:-$DATA.virtuoso}  # bench/virtuoso.py puts it elsewhere (a build it may not write beside)
MARK="$HOME_DIR/.sciplan-virtuoso"
DB="$HOME_DIR/db"
LOAD="$HOME_DIR/load"

say() { printf '%s\n' "$*" >&2; }
fail() { say "virtuoso-serve: $*"; exit 2; }

running_pid() {  # the pid of our server when it runs (Virtuoso writes it into its lock file)
  local pid
  pid=$(sed -n 's/^VIRT_PID=//p' "$DB/virtuoso.lck" 2>/dev/null || true)
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null && grep -q virtuoso "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

ports() {  # HTTP_PORT and SQL_PORT: those the server runs on, else the environment's
  if [ -f "$HOME_DIR/ports" ]; then . "$HOME_DIR/ports"; fi
  HTTP_PORT=${VIRTUOSO_HTTP_PORT:-${HTTP_PORT:-8890}}
  SQL_PORT=${VIRTUOSO_SQL_PORT:-${SQL_PORT:-1111}}
}

print_use() {
  local url="http://127.0.0.1:$HTTP_PORT/sparql"
  echo "Virtuoso serves $DATA on $url (SQL port $SQL_PORT; stop it: make virtuoso-stop DATA=$DATA)"
  echo "  $BIN/sciplan-kg query tasks --endpoint $url"
  echo "  $BIN/sciplan-kg query tasks -p plan <plan IRI> --endpoint $url"
}

stop() {
  local pid
  ports
  if pid=$(running_pid); then
    isql-vt "$SQL_PORT" dba dba exec="checkpoint; shutdown;" >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; sleep 2; fi
    say "stopped Virtuoso ($pid) of $DATA"
  else
    say "no Virtuoso of $DATA runs"
  fi
}

start_server() {  # start virtuoso-t on db/ in the background, and wait until it answers
  virtuoso_port_free "$HTTP_PORT" || fail "port $HTTP_PORT is taken: VIRTUOSO_HTTP_PORT=… make virtuoso-serve"
  virtuoso_port_free "$SQL_PORT" || fail "port $SQL_PORT is taken: VIRTUOSO_SQL_PORT=… make virtuoso-serve"
  printf 'HTTP_PORT=%s\nSQL_PORT=%s\n' "$HTTP_PORT" "$SQL_PORT" > "$HOME_DIR/ports"
  virtuoso_ini "$(realpath "$DB")" "$HTTP_PORT" "$SQL_PORT" "${VIRTUOSO_BUFFERS:-131072}" "$(realpath "$LOAD")" \
    > "$DB/virtuoso.ini"
  (cd "$DB" && exec nohup setsid virtuoso-t +configfile "$PWD/virtuoso.ini" +foreground > stdout.log 2>&1) &
  virtuoso_wait "$HTTP_PORT" 180 || { tail -5 "$DB/virtuoso.log" >&2 || true; fail "Virtuoso did not start (log: $DB/virtuoso.log)"; }
  if [ "${VIRTUOSO_WRITABLE:-0}" = 1 ]; then
    isql-vt "$SQL_PORT" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
  fi
}

# the build's graph files as hard links (copies across file systems) in load/, each with the
# corpus graph's IRI in a .graph file beside it; prints the digest of the build's graph files
DIGEST='
import hashlib, os, shutil, sys
from pathlib import Path
from sciplan_kg.pipeline.dataset import graph_files
build, load = Path(sys.argv[1]), Path(sys.argv[2])
CORPUS = "https://w3id.org/sciplan-kg/id/graph/corpus"
digest = hashlib.sha256(CORPUS.encode())  # the layout too: a database of another layout is loaded again
n = 0
for graph, files in sorted(graph_files(build).items()):
    for f in files:
        st = f.stat()
        digest.update(f"{graph}\t{f.resolve()}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
        if len(sys.argv) > 3:
            continue
        n += 1
        link = load / f"{n:06d}.ttl"
        try:
            os.link(f, link)
        except OSError:
            shutil.copyfile(f, link)
        (load / f"{n:06d}.ttl.graph").write_text(CORPUS + "\n", encoding="utf-8")
print(digest.hexdigest())
'

digest() { "$BIN/python" -c "$DIGEST" "$DATA" "$LOAD" --digest-only; }

# the language tags and datatypes of this package's Turtle, each in one literal of a graph that
# is cleared at once: registered before the loaders run side by side (load())
WARM_UP="DB.DBA.TTLP('<urn:sciplan-kg:warm-up> <urn:sciplan-kg:warm-up> \"z\"@zh, \"e\"@en, \"2021\"^^<http://www.w3.org/2001/XMLSchema#gYear>, \"2021-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>, \"2021-01\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>, \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>, \"1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>, \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>, \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .', '', 'urn:sciplan-kg:warm-up'); SPARQL CLEAR GRAPH <urn:sciplan-kg:warm-up>;"

load() {  # a fresh database in db/, every graph file bulk-loaded, then db/loaded.json
  local t0 t1 cores errors digest seconds loaders
  rm -rf "$DB" "$LOAD"
  mkdir -p "$DB" "$LOAD"
  digest=$("$BIN/python" -c "$DIGEST" "$DATA" "$LOAD")
  start_server
  t0=$(date +%s.%N)
  isql-vt "$SQL_PORT" dba dba exec="ld_dir('$(realpath "$LOAD")', '*.ttl', 'urn:sciplan-kg:no-graph');" >/dev/null
  # loaders side by side race to register a language tag or datatype none has seen yet, and the
  # loser's file fails ("SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE", Virtuoso 7.2,
  # openlink/virtuoso-opensource#1329): the ones this package writes are registered first, by
  # one statement, and a file that fails all the same is loaded again by one loader alone
  isql-vt "$SQL_PORT" dba dba exec="$WARM_UP" >/dev/null
  cores=$(nproc)
  loaders=()
  for _ in $(seq 1 "$cores"); do
    isql-vt "$SQL_PORT" dba dba exec="rdf_loader_run();" >/dev/null &
    loaders+=($!)
  done
  wait "${loaders[@]}"  # the loaders only: the server is a job of this shell too
  isql-vt "$SQL_PORT" dba dba exec="UPDATE DB.DBA.load_list SET ll_state = 0, ll_error = NULL WHERE ll_error IS NOT NULL;" >/dev/null
  isql-vt "$SQL_PORT" dba dba exec="rdf_loader_run();" >/dev/null  # those again (a file's triples are a set: loading twice adds nothing)
  isql-vt "$SQL_PORT" dba dba exec="checkpoint;" >/dev/null
  t1=$(date +%s.%N)
  errors=$(isql-vt "$SQL_PORT" dba dba exec="SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL OR ll_state <> 2;" \
    | grep -c '^/' || true)
  if [ "$errors" != 0 ]; then
    isql-vt "$SQL_PORT" dba dba exec="SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;" >&2
    stop >&2  # no server is left running on a database that is not whole
    fail "$errors files were not loaded (above); the database in $DB is incomplete and will be loaded again"
  fi
  seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  printf '{"digest": "%s", "files": %s, "load_seconds": %s}\n' "$digest" "$(find "$LOAD" -name '*.ttl' | wc -l)" \
    "$seconds" > "$DB/loaded.json.tmp"
  mv "$DB/loaded.json.tmp" "$DB/loaded.json"
  say "loaded $DATA into Virtuoso in $seconds s"
}

case "$ACTION" in
  start)
    command -v virtuoso-t >/dev/null 2>&1 || fail "virtuoso-t is not installed (make virtuoso-serve installs it)"
    [ -d "$DATA" ] || fail "$DATA: no build folder (sciplan-kg build --out $DATA)"
    if [ -e "$HOME_DIR" ] && [ ! -f "$MARK" ]; then
      fail "$HOME_DIR exists and is not this script's folder (no $MARK): move it away, nothing was changed"
    fi
    mkdir -p "$HOME_DIR" && touch "$MARK"
    ports
    now=$(digest)
    was=$(sed -n 's/.*"digest": "\([0-9a-f]*\)".*/\1/p' "$DB/loaded.json" 2>/dev/null || true)
    if running_pid >/dev/null && [ "$now" = "$was" ]; then
      print_use
      exit 0
    fi
    running_pid >/dev/null && stop
    if [ "$now" = "$was" ]; then
      start_server
    else
      load
    fi
    print_use
    ;;
  stop)
    [ -f "$MARK" ] || fail "$HOME_DIR: no Virtuoso folder of this script"
    stop
    ;;
  status)
    ports
    if running_pid >/dev/null; then print_use; else say "no Virtuoso of $DATA runs"; exit 1; fi
    ;;
  *)
    fail "usage: $0 [start|stop|status] [BUILD]"
    ;;
esac
