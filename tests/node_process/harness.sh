# Shared start of the multi-process test scripts: options, the testnet library, clean-up, failure.
# Source it after setting TEST_NAME (the data directory is /tmp/docket-$TEST_NAME-$$) and BASE (the
# default base port). It parses --dir DIR and --base-port P (and leaves any other option in
# REST_ARGS), sources testnet/lib.sh for $DIR, tears the testnet down on exit (keeping $DIR when the
# test failed, or with KEEP=1), and defines:
#   fail MESSAGE   prints it, then `on_fail` (define it for test-specific context; by default the last
#                  lines of every node's log), and exits 1;
#   step TEXT      prints "== TEXT".
# Needs HERE (the script's folder) and REPO (the checkout) set by the caller.
DIR="/tmp/docket-$TEST_NAME-$$"
REST_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --base-port) BASE="$2"; shift 2 ;;
    *) REST_ARGS+=("$1"); shift ;;
  esac
done
export TESTNET_DIR="$DIR"
source "$REPO/testnet/lib.sh"
TESTNET_DIR="$DIR"
FAILED=0
cleanup() {
  "$REPO/testnet/down" --dir "$DIR" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" != 1 ] && [ "$FAILED" != 1 ]; then rm -rf "$DIR"; fi
}
trap cleanup EXIT
on_fail() {
  for i in 0 1 2 3 4; do
    [ -f "$DIR/node$i/node.log" ] || continue
    echo "--- node$i (last lines)" >&2
    tail -n 15 "$DIR/node$i/node.log" >&2
  done
}
fail() {
  FAILED=1
  echo "FAIL: $*" >&2
  on_fail || true
  echo "logs kept in $DIR" >&2
  exit 1
}
step() { echo "== $*"; }
