# Shared helpers of the testnet scripts. Sourced, not run.
# Layout of a testnet directory (default: <repo>/.testnet):
#   genesis.json            the chain's genesis, shared by every node
#   node<i>/                a validator's home: config.toml, node_key.json, genesis.json, data/, node.log, pid
#   wallet/                 the sample consortium's encrypted keystore (passphrase in wallet/passphrase)
#   ports                   "index api_port p2p_port" per line
set -euo pipefail

TESTNET_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTNET_BIN="${DOCKET_BIN:-$TESTNET_REPO/build/bin}"
TESTNET_DIR="${TESTNET_DIR:-$TESTNET_REPO/.testnet}"
DOCKETD="$TESTNET_BIN/docketd"
DOCKET="$TESTNET_BIN/docket"
LOADGEN="$TESTNET_BIN/docket-loadgen"

# Parses --dir DIR (and leaves the other arguments in REST_ARGS).
testnet_parse_dir() {
  REST_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) TESTNET_DIR="$(realpath -m "$2")"; shift 2 ;;
      --dir=*) TESTNET_DIR="$(realpath -m "${1#--dir=}")"; shift ;;
      *) REST_ARGS+=("$1"); shift ;;
    esac
  done
}

die() { echo "testnet: $*" >&2; exit 1; }

node_count() {
  [ -f "$TESTNET_DIR/ports" ] || die "no testnet in $TESTNET_DIR (run testnet/up first)"
  wc -l < "$TESTNET_DIR/ports"
}

api_port() { awk -v i="$1" '$1 == i { print $2 }' "$TESTNET_DIR/ports"; }
api_url() { echo "http://127.0.0.1:$(api_port "$1")"; }

node_pid() {
  local f="$TESTNET_DIR/node$1/pid"
  [ -f "$f" ] || return 1
  local pid; pid="$(cat "$f")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# The committed height a node reports, or "down".
node_height() {
  local body
  body="$(curl -fsS --max-time 2 "$(api_url "$1")/v1/status" 2>/dev/null)" || { echo down; return; }
  echo "$body" | grep -o '"height"[[:space:]]*:[[:space:]]*[0-9]*' | head -1 | grep -o '[0-9]*$' || echo down
}

start_node() {
  local i="$1" home="$TESTNET_DIR/node$1"
  [ -d "$home" ] || die "node $i does not exist in $TESTNET_DIR"
  if node_pid "$i" >/dev/null; then echo "node $i is already running"; return 0; fi
  setsid "$DOCKETD" start --home "$home" >>"$home/node.log" 2>&1 < /dev/null &
  echo $! > "$home/pid"
}

# Stops a node: SIGTERM, then SIGKILL after a grace period. With "kill", SIGKILL at once.
stop_node() {
  local i="$1" how="${2:-term}" pid
  pid="$(node_pid "$i")" || { rm -f "$TESTNET_DIR/node$i/pid"; return 0; }
  if [ "$how" = kill ]; then
    kill -9 "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$TESTNET_DIR/node$i/pid"
}

# Waits until every listed node reports a committed height >= target (default: all nodes, height 2).
wait_for_height() {
  local target="$1" timeout_s="$2"; shift 2
  local nodes=("$@") deadline=$((SECONDS + timeout_s))
  while [ $SECONDS -lt $deadline ]; do
    local ok=1
    for i in "${nodes[@]}"; do
      local h; h="$(node_height "$i")"
      if [ "$h" = down ] || [ "$h" -lt "$target" ]; then ok=0; break; fi
    done
    [ $ok = 1 ] && return 0
    sleep 0.3
  done
  return 1
}
