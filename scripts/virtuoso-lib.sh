# Shared by scripts/virtuoso-serve.sh and scripts/virtuoso-test.sh (sourced, not run): the
# configuration of a Virtuoso (Debian's virtuoso-opensource 7) that keeps its database in a
# folder of ours and listens on 127.0.0.1 only, and waiting for it to answer.

VIRTUOSO_INI_PACKAGED=${VIRTUOSO_INI_PACKAGED:-/etc/virtuoso-opensource-7/virtuoso.ini}

# virtuoso_ini DIR HTTP_PORT SQL_PORT BUFFERS [LOAD_DIR]: the packaged configuration, with the
# database files in DIR, both ports on 127.0.0.1, BUFFERS 8 KiB pages of cache (the packaged
# 10,000 is 80 MB: a 3,000-plan corpus, 9.8 million triples, wants ~1 GB to be answered from
# memory), LOAD_DIR readable by the bulk loader (DirsAllowed), the query-cost estimator (which
# refuses queries it guesses are slow) off, and the row cap raised from 10,000 (a catalogue
# query over a large corpus returns more). Printed on standard output.
virtuoso_ini() {
  local dir=$1 http=$2 sql=$3 buffers=$4 load=${5:-}
  awk -v dir="$dir" -v http="$http" -v sql="$sql" -v buffers="$buffers" -v load="$load" '
    /^\[/ { section = $0 }
    section == "[Database]" && /^DatabaseFile/       { print "DatabaseFile = " dir "/virtuoso.db"; next }
    section == "[Database]" && /^ErrorLogFile/       { print "ErrorLogFile = " dir "/virtuoso.log"; next }
    section == "[Database]" && /^LockFile/           { print "LockFile = " dir "/virtuoso.lck"; next }
    section == "[Database]" && /^TransactionFile/    { print "TransactionFile = " dir "/virtuoso.trx"; next }
    section == "[Database]" && /^xa_persistent_file/ { print "xa_persistent_file = " dir "/virtuoso.pxa"; next }
    section == "[TempDatabase]" && /^DatabaseFile/    { print "DatabaseFile = " dir "/virtuoso-temp.db"; next }
    section == "[TempDatabase]" && /^TransactionFile/ { print "TransactionFile = " dir "/virtuoso-temp.trx"; next }
    section == "[Parameters]" && /^ServerPort/       { print "ServerPort = 127.0.0.1:" sql; next }
    section == "[Parameters]" && /^NumberOfBuffers/  { print "NumberOfBuffers = " buffers; next }
    section == "[Parameters]" && /^MaxDirtyBuffers/  { print "MaxDirtyBuffers = " int(buffers * 3 / 4); next }
    section == "[Parameters]" && /^DirsAllowed/      { print $0 (load == "" ? "" : ", " load); next }
    section == "[HTTPServer]" && /^ServerPort/       { print "ServerPort = 127.0.0.1:" http; next }
    /^;? *MaxQueryCostEstimationTime/ { next }
    section == "[SPARQL]" && /^ResultSetMaxRows/ { print "ResultSetMaxRows = 1000000"; next }
    section == "[SPARQL]" && /^MaxQueryExecutionTime/ { print "MaxQueryExecutionTime = 0"; next }
    $0 == "[SPARQL]" { print; print "MaxQueryCostEstimationTime = 0"; next }
    { print }
  ' "$VIRTUOSO_INI_PACKAGED"
}

# virtuoso_wait HTTP_PORT SECONDS: until the SPARQL endpoint answers ASK {} (status 1 if it never does)
virtuoso_wait() {
  local http=$1 seconds=${2:-120}
  for _ in $(seq 1 "$seconds"); do
    curl -sf "http://127.0.0.1:$http/sparql?query=ASK%7B%7D" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

# virtuoso_port_free PORT: status 0 when nothing listens on 127.0.0.1:PORT
virtuoso_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
