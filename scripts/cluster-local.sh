#!/usr/bin/env bash
# The cluster of deploy/compose.yaml, natively from Debian packages (postgresql, redis-server,
# caddy; coturn with --turn): a throwaway PostgreSQL and Redis in a temporary folder bound to
# 127.0.0.1, a fresh service key, two nodes (`npm start`), and Caddy with deploy/Caddyfile in
# front on one port. Prints the URL and runs until interrupted; then stops everything by pid
# and removes the folder. The cluster tests and the cluster e2e run this script.
#
#   scripts/cluster-local.sh [--turn]
#
# Environment (all optional):
#   PARLEY_CLUSTER_PORT      the proxy's port (default 8080; 0 picks a free one)
#   PARLEY_CLUSTER_NODE_CMD  how a node starts (default "npm start"; the tests use
#                            "node --import tsx signaling/main.ts", which needs no build)
#   PARLEY_CLUSTER_STATE     also write the state (pids, ports, URLs) to this file
#   other PARLEY_* settings  passed to both nodes (PARLEY_GRACE_SECONDS, PARLEY_RATE_*, ...)
# The state file ($dir/cluster.env) names each process's pid; each runs in its own process
# group, so `kill -KILL -- -$NODE1_PID` kills a node with everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

turn=0
[ "${1:-}" = --turn ] && turn=1

need() { command -v "$1" >/dev/null 2>&1 || { echo "cluster-local: $1 is missing: apt-get install -y $2" >&2; exit 2; }; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || { echo "cluster-local: PostgreSQL is missing: apt-get install -y postgresql" >&2; exit 2; }
need redis-server redis-server
need caddy caddy
need curl curl
[ $turn = 0 ] || need turnserver coturn

dir=$(mktemp -d /tmp/parley-cluster.XXXXXX)
chmod 755 "$dir"
pids=()   # in start order; stopped in reverse
cleanup() {
  trap - EXIT INT TERM
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# Free ports on 127.0.0.1, from the kernel (written plainly: FORCE_COLOR would colour console.log).
freeport() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(s.address().port+'\\n');s.close()})"; }
# Starts "$@" in its own process group (setsid execs in place: $! is the process itself).
spawn() { local log=$1; shift; setsid "$@" >"$dir/$log.log" 2>&1 & pids+=("$!"); }
waitfor() { # waitfor WHAT PID CMD...: until CMD succeeds, or fail if PID died
  local what=$1 pid=$2; shift 2
  for _ in $(seq 600); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "cluster-local: $what exited; its log:" >&2; cat "$dir/$what.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "cluster-local: $what did not become ready; its log:" >&2; cat "$dir/$what.log" >&2; exit 1
}

# PostgreSQL refuses to run as root: as root, it runs as the postgres system user.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$dir/pg" && chown postgres:postgres "$dir/pg"
  as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
else
  mkdir -p "$dir/pg"
fi
pg_port=$(freeport)
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/pg/data" -U parley --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
spawn postgres "${as_pg[@]}" "$pgbin/postgres" -D "$dir/pg/data" -k "$dir/pg" -p "$pg_port" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200
PG_PID=$!
waitfor postgres "$PG_PID" "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U parley -d postgres
"$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U parley parley
DATABASE_URL="postgresql://parley@127.0.0.1:$pg_port/parley"

redis_port=$(freeport)
spawn redis redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --maxmemory-policy noeviction --dir "$dir" --logfile ''
REDIS_PID=$!
REDIS_URL="redis://127.0.0.1:$redis_port"
waitfor redis "$REDIS_PID" bash -c "exec 3<>/dev/tcp/127.0.0.1/$redis_port && printf 'PING\r\n' >&3 && head -c5 <&3 | grep -q PONG"

node --import tsx signaling/admin.ts keygen "$dir/service-key.json" >/dev/null

export PARLEY_DATABASE_URL=$DATABASE_URL PARLEY_REDIS_URL=$REDIS_URL PARLEY_SERVICE_KEY_FILE=$dir/service-key.json
export PARLEY_TRUST_PROXY=1 HOST=127.0.0.1 PARLEY_DB=$dir/unused.db

TURN_PID=
if [ $turn = 1 ]; then
  turn_port=$(freeport)
  export PARLEY_TURN_SECRET=${PARLEY_TURN_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export PARLEY_TURN_URLS="turn:127.0.0.1:$turn_port?transport=udp"
  spawn turnserver turnserver -c "$root/deploy/turnserver.conf" --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 \
    --listening-port="$turn_port" --static-auth-secret="$PARLEY_TURN_SECRET" --no-tls --no-dtls \
    --pidfile="$dir/turnserver.pid" --log-file=stdout
  TURN_PID=$!
fi

read -r -a node_cmd <<<"${PARLEY_CLUSTER_NODE_CMD:-npm start}"
node_ports=()
node_pids=()
for i in 1 2; do
  port=$(freeport)
  PORT=$port PARLEY_NODE_ID=node$i spawn "node$i" "${node_cmd[@]}"
  node_ports+=("$port")
  node_pids+=("$!")
done
for i in 0 1; do waitfor "node$((i + 1))" "${node_pids[i]}" curl -sf "http://127.0.0.1:${node_ports[i]}/readyz"; done

proxy_port=${PARLEY_CLUSTER_PORT:-8080}
[ "$proxy_port" = 0 ] && proxy_port=$(freeport)
URL="http://127.0.0.1:$proxy_port"
mkdir -p "$dir/caddy"
PARLEY_SITE=$URL PARLEY_UPSTREAMS="127.0.0.1:${node_ports[0]} 127.0.0.1:${node_ports[1]}" PARLEY_CADDY_ADMIN=off \
  XDG_DATA_HOME=$dir/caddy XDG_CONFIG_HOME=$dir/caddy HOME=$dir/caddy \
  spawn caddy caddy run --config "$root/deploy/Caddyfile" --adapter caddyfile
CADDY_PID=$!
waitfor caddy "$CADDY_PID" curl -sf "$URL/healthz"

cat >"$dir/cluster.env" <<STATE
URL=$URL
DIR=$dir
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
PG_PID=$PG_PID
REDIS_PID=$REDIS_PID
TURN_PID=$TURN_PID
CADDY_PID=$CADDY_PID
NODE1_PID=${node_pids[0]}
NODE1_PORT=${node_ports[0]}
NODE2_PID=${node_pids[1]}
NODE2_PORT=${node_ports[1]}
STATE
[ -z "${PARLEY_CLUSTER_STATE:-}" ] || cp "$dir/cluster.env" "$PARLEY_CLUSTER_STATE"
echo "Parley cluster is running at $URL (nodes node1 :${node_ports[0]}, node2 :${node_ports[1]}; state in $dir/cluster.env; Ctrl-C stops it)"

# Runs until interrupted; a node that dies (or is killed by a test) does not stop the rest.
while true; do
  sleep 1 &
  wait $! || true
done
