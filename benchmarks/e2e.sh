#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end benchmark (issue 6, "Performance"): for each pair of WireGuard implementations, two
# network namespaces joined by veth with a tunnel between them, measured in one run with iperf3
# (TCP 1 and 4 streams, both directions; UDP packets/s at 64-byte payloads), ping (p50/p99), the
# daemons' CPU seconds per GB moved and their resident memory. Prints a table and the ratios the
# issue sets targets for, and writes results.json, results.csv and table.txt. Needs root. Exits 1
# when a pair could not be measured. Not part of the test suite. See benchmarks/README.md for what
# each figure means.
#
# Usage: benchmarks/e2e.sh [options]
#   --pairs LIST         comma-separated, from jwg-jwg, wg-wg, jwg-wg, wgnew-wgnew, jwg-wgnew,
#                        kernel (= kernel-kernel); any A-B of jwg|wg|wgnew|kernel works.
#                        Default: jwg-jwg,wg-wg,jwg-wg,kernel (+ wgnew-wgnew,jwg-wgnew with
#                        --wireguard-go). A is the left namespace (10.0.0.1), B the right.
#   --wireguard-go PATH  another wireguard-go build to compare ("wgnew"); "wg" is the one on PATH
#   --duration N         seconds per iperf3 run (default 10)
#   --warmup N           seconds of untimed TCP traffic first, so the JVM has compiled its data
#                        path (default 10; a loaded 2-core machine compiles slowly)
#   --settle N           seconds a pair sits idle after the handshake before its idle RSS is
#                        read (default 10; jwg hands freed native memory back every 2 s)
#   --ping-count N       echo requests at 10 ms intervals (default 200)
#   --udp-rate R         iperf3 -b for the UDP run (default 0: as fast as the sender can)
#   --rounds N           measure every pair N times, alternating the order of the pairs, and
#                        report the median of each figure (default 1; more on a busy machine)
#   --output DIR         default benchmarks/results/e2e-<UTC time>
#   --quick              short runs for a smoke test (2 s runs, 1 s warm-up, 3 s settle, 50 pings)
#   --no-build           do not rebuild jwg even when its sources are newer than its jar
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
. "$HERE/e2e/lib.sh"

DURATION="" WARMUP="" SETTLE="" PING_COUNT="" PING_INTERVAL=0.01 UDP_LEN=64 UDP_RATE=0
PAIRS="" WG_GO_NEW="" OUT="" BUILD=1 MODE=default ROUNDS=1

usage() { sed -n '/^# Usage/,/^set -uo/{/^set/d; s/^# \{0,1\}//; p}' "$0"; }
die() { echo "e2e: $*" >&2; exit 2; }
num() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 wants a whole number, not '$2'"; }

while [ $# -gt 0 ]; do
  case $1 in
    --pairs) PAIRS=${2:?}; shift ;;
    --wireguard-go) WG_GO_NEW=${2:?}; shift ;;
    --duration) num "$1" "${2:-}"; DURATION=$2; shift ;;
    --warmup) num "$1" "${2:-}"; WARMUP=$2; shift ;;
    --settle) num "$1" "${2:-}"; SETTLE=$2; shift ;;
    --ping-count) num "$1" "${2:-}"; PING_COUNT=$2; shift ;;
    --rounds) num "$1" "${2:-}"; ROUNDS=$2; shift ;;
    --udp-rate) UDP_RATE=${2:?}; shift ;;
    --output) OUT=${2:?}; shift ;;
    --quick) MODE=quick ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done
# --quick shortens whatever was not given explicitly.
if [ "$MODE" = quick ]; then
  : "${DURATION:=2}" "${WARMUP:=1}" "${SETTLE:=3}" "${PING_COUNT:=50}"
else
  : "${DURATION:=10}" "${WARMUP:=10}" "${SETTLE:=10}" "${PING_COUNT:=200}"
fi
[ "$DURATION" -ge 1 ] || die "--duration must be at least 1"
[ "$PING_COUNT" -ge 1 ] || die "--ping-count must be at least 1"
[ "$ROUNDS" -ge 1 ] || die "--rounds must be at least 1"

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, TUN, ping -i 0.01)"
"$ROOT/scripts/install-deps" || die "missing tools (see above)"
WG_GO=$(command -v wireguard-go) || die "wireguard-go not found"
if [ -n "$WG_GO_NEW" ]; then
  WG_GO_NEW=$(readlink -f "$WG_GO_NEW") && [ -x "$WG_GO_NEW" ] || die "--wireguard-go: not an executable"
fi
if [ -z "$PAIRS" ]; then
  PAIRS="jwg-jwg,wg-wg,jwg-wg,kernel"
  [ -n "$WG_GO_NEW" ] && PAIRS="$PAIRS,wgnew-wgnew,jwg-wgnew"
fi
uniq=""
for spec in ${PAIRS//,/ }; do
  case ",$uniq," in *",$spec,"*) continue ;; esac
  uniq=${uniq:+$uniq,}$spec
  [ "$spec" = kernel ] && continue
  [[ $spec =~ ^(jwg|wg|wgnew|kernel)-(jwg|wg|wgnew|kernel)$ ]] || die "unknown pair '$spec'"
  case $spec in *wgnew*) [ -n "$WG_GO_NEW" ] || die "pair '$spec' needs --wireguard-go PATH" ;; esac
done
PAIRS=$uniq
[ -n "$PAIRS" ] || die "--pairs is empty"

. "$ROOT/scripts/jdk.sh"
jwg_find_jdk || exit 1
jar=$ROOT/cli/target/jwg-cli.jar
if [ "$BUILD" = 1 ] && { [ ! -f "$jar" ] || [ -n "$(find "$ROOT"/{noise,tun,core,cli} \
    \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; }; then
  echo "e2e: building jwg (./scripts/build)" >&2
  "$ROOT/scripts/build" || die "build failed"
fi
[ -f "$jar" ] || die "$jar is missing: run ./scripts/build"

OUT=${OUT:-$HERE/results/e2e-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/pairs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw.tsv FACTS=$OUT/facts.tsv
: >"$RAW"; : >"$FACTS"

trap e2e_cleanup EXIT
trap 'echo "e2e: interrupted; cleaning up" >&2; exit 130' INT
trap 'exit 143' TERM HUP

fact() { printf '%s\t%s\n' "$1" "$2" >>"$FACTS"; }
KERNEL_WG=no
e2e_kernel_has_wireguard && KERNEL_WG=yes
fact date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact host "$(hostname)"
fact cpu_model "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
fact cores "$(nproc)"
fact kernel "$(uname -r)"
fact kernel_wireguard "$KERNEL_WG"
fact jdk "$("$JWG_JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
fact wireguard_go "$WG_GO ($("$WG_GO" --version 2>&1 | head -n1))"
[ -n "$WG_GO_NEW" ] && fact wireguard_go_new "$WG_GO_NEW ($("$WG_GO_NEW" --version 2>&1 | head -n1))"
fact iperf3 "$(iperf3 --version | head -n1)"
fact jwg_commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes')"
fact mode "$MODE"
fact duration_s "$DURATION"
fact warmup_s "$WARMUP"
fact settle_s "$SETTLE"
fact rounds "$ROUNDS"
fact ping_count "$PING_COUNT"
fact ping_interval_s "$PING_INTERVAL"
fact udp_payload_bytes "$UDP_LEN"
fact udp_rate "$UDP_RATE"
fact load_before "$(cut -d' ' -f1-3 /proc/loadavg)"

# e2e_pair SPEC INDEX: builds one pair, measures it, tears it down.
e2e_pair() {
  local a b tag ka kb pa pb pe p
  PAIR=$1
  if [ "$PAIR" = kernel ]; then a=kernel b=kernel; else a=${PAIR%%-*} b=${PAIR#*-}; fi
  rec a "$a"; rec b "$b"; rec label "$(impl_label "$a")<->$(impl_label "$b")"
  echo "== $PAIR: $(impl_label "$a") (A, 10.0.0.1) <-> $(impl_label "$b") (B, 10.0.0.2)" >&2
  if { [ "$a" = kernel ] || [ "$b" = kernel ]; } && [ "$KERNEL_WG" = no ]; then
    echo "kernel: no wireguard module in this kernel (skipped)" >&2
    rec status skipped; rec note "no wireguard module in this kernel"
    return 0
  fi
  tag=$(( $$ % 100000 ))$2
  NSA=jwge2e-$tag-a NSB=jwge2e-$tag-b PDIR=$OUT/pairs/$PAIR
  [ "$ROUNDS" -gt 1 ] && PDIR=$PDIR/round-$ROUND
  mkdir -p "$PDIR"
  ip netns add "$NSA" && E2E_NETNS+=("$NSA") && ip netns add "$NSB" && E2E_NETNS+=("$NSB") &&
    ip link add "e2va$tag" netns "$NSA" mtu 1500 type veth peer name "e2vb$tag" netns "$NSB" mtu 1500 &&
    ip -n "$NSA" addr add 192.0.2.1/24 dev "e2va$tag" && ip -n "$NSB" addr add 192.0.2.2/24 dev "e2vb$tag" &&
    ip -n "$NSA" link set "e2va$tag" up && ip -n "$NSB" link set "e2vb$tag" up &&
    ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up ||
    { e2e_fail "could not build the namespaces"; return 0; }
  (umask 077; wg genkey >"$PDIR/a.key"; wg genkey >"$PDIR/b.key")
  ka=$(wg pubkey <"$PDIR/a.key") kb=$(wg pubkey <"$PDIR/b.key")
  e2e_start "$a" "$NSA" "e2ea$tag" "$PDIR/daemon-a.log" || { e2e_fail "$a did not start"; return 0; }
  pa=$E2E_PID
  e2e_start "$b" "$NSB" "e2eb$tag" "$PDIR/daemon-b.log" || { e2e_fail "$b did not start"; return 0; }
  pb=$E2E_PID
  e2e_configure "$NSA" "e2ea$tag" "$PDIR/a.key" 51820 "$kb" 192.0.2.2 51821 10.0.0.1 10.0.0.2 &&
    e2e_configure "$NSB" "e2eb$tag" "$PDIR/b.key" 51821 "$ka" 192.0.2.1 51820 10.0.0.2 10.0.0.1 ||
    { e2e_fail "could not configure the interfaces"; return 0; }
  DAEMONS=()
  [ -n "$pa" ] && DAEMONS+=("$pa")
  [ -n "$pb" ] && DAEMONS+=("$pb")
  # The first packet starts the handshake; it is done once a ping comes back.
  for _ in $(seq 20); do
    ip netns exec "$NSA" ping -n -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break
  done || true
  ip netns exec "$NSA" ping -n -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || { e2e_fail "no handshake"; return 0; }
  ip netns exec "$NSB" iperf3 -s -B 10.0.0.2 -p 5201 </dev/null >"$PDIR/iperf3-server.log" 2>&1 &
  E2E_PIDS+=("$!")
  for _ in $(seq 50); do
    ip netns exec "$NSB" ss -Hltn 'sport = :5201' | grep -q . && break
    sleep 0.1
  done
  sleep "$SETTLE"
  rec rss_idle_a_mib "$(status_mib "$pa" VmRSS)"; rec rss_idle_b_mib "$(status_mib "$pb" VmRSS)"
  rec rss_idle_anon_a_mib "$(status_mib "$pa" RssAnon)"; rec rss_idle_anon_b_mib "$(status_mib "$pb" RssAnon)"
  if [ "$WARMUP" -gt 0 ]; then
    e2e_iperf warmup $((WARMUP + 30)) -t "$WARMUP" >/dev/null
    sleep 1
  fi
  TCP_BYTES=0 TCP_TICKS=0
  e2e_ping; sleep 1
  e2e_tcp tcp1_ab; sleep 1
  e2e_tcp tcp1_ba -R; sleep 1
  e2e_tcp tcp4_ab -P 4; sleep 1
  e2e_tcp tcp4_ba -P 4 -R; sleep 1
  if [ "${#DAEMONS[@]}" -gt 0 ] && [ "$TCP_BYTES" -gt 0 ]; then
    rec tcp_cpu_s_per_gb "$(calc 't / hz / (b / 1e9)' t="$TCP_TICKS" hz="$HZ" b="$TCP_BYTES")"
  fi
  e2e_udp
  rec rss_peak_a_mib "$(status_mib "$pa" VmHWM)"; rec rss_peak_b_mib "$(status_mib "$pb" VmHWM)"
  rec rss_end_a_mib "$(status_mib "$pa" VmRSS)"; rec rss_end_b_mib "$(status_mib "$pb" VmRSS)"
  pe=""
  for p in "${DAEMONS[@]}"; do kill -0 "$p" 2>/dev/null || pe="a daemon exited during the run"; done
  if [ -n "$pe" ]; then rec status failed; rec note "$pe"; else rec status ok; fi
  e2e_cleanup
}

e2e_fail() {
  echo "  $PAIR: $1 (logs in $PDIR)" >&2
  rec status failed; rec note "$1"
  e2e_cleanup
}

# Odd rounds take the pairs in the order given, even rounds the other way round, so that a load
# that rises or falls during the run does not always favour the same pair.
read -r -a order <<<"${PAIRS//,/ }"
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  [ "$ROUNDS" -gt 1 ] && echo "== round $ROUND of $ROUNDS" >&2
  for ((k = 0; k < ${#order[@]}; k++)); do
    j=$(( ROUND % 2 ? k : ${#order[@]} - 1 - k ))
    e2e_pair "${order[j]}" "$((j + 1))"
  done
done
fact load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

awk -F'\t' -v pairs="$PAIRS" -v csv="$OUT/results.csv" -v json="$OUT/results.json" \
  -f "$HERE/e2e/report.awk" "$FACTS" "$RAW" | tee "$OUT/table.txt" || die "the report failed (raw figures in $RAW)"
echo
echo "e2e: results in $OUT (results.json, results.csv, table.txt; iperf3 JSON and daemon logs in pairs/)"
# A pair that could not be measured fails the run; one skipped for want of a kernel module does not.
! awk -F'\t' '$3 == "status" && $4 == "failed" { bad = 1 } END { exit !bad }' "$RAW"
