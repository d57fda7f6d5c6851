#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: sudo benchmarks/alloc.sh [--duration N] [--warmup N] [--no-build] [--sites N]
#
# Bytes allocated per packet on jwg's data path, measured in the real daemon: a jwg <-> jwg tunnel
# between two network namespaces (the same set-up as e2e.sh), a warm-up of TCP traffic, and then,
# for each kind of traffic (iperf3 TCP A->B, TCP B->A, UDP 64-byte payloads A->B, ping), a Java
# Flight Recording of each daemon over exactly that run. JFR's jdk.ThreadAllocationStatistics
# gives every thread's allocated bytes at the start and at the end of the recording (exact, not
# sampled); the packets are the TUN interface's counters (packets the daemon read from it plus
# packets it wrote to it: one UDP datagram each). Prints a table of bytes per packet (all threads,
# and the two data-path threads alone), then the heaviest sampled allocation sites of the
# data-path threads. Needs root and the JDK's jcmd/jfr; writes to benchmarks/results/alloc-<time>/.
#
#   --duration N   seconds per run (default 10)
#   --warmup N     seconds of TCP traffic first, so the JIT has compiled the data path (default 10)
#   --sites N      allocation sites to list (default 12; 0 for none)
#   --no-build     do not rebuild jwg when the sources are newer than the jar
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
. "$HERE/e2e/lib.sh"

DURATION=10 WARMUP=10 SITES=12 BUILD=1
die() { echo "alloc: $*" >&2; exit 2; }
num() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 wants a whole number, not '$2'"; }
while [ $# -gt 0 ]; do
  case $1 in
    --duration) num "$1" "${2:-}"; DURATION=$2; shift ;;
    --warmup) num "$1" "${2:-}"; WARMUP=$2; shift ;;
    --sites) num "$1" "${2:-}"; SITES=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '/^# Usage/,/^set -uo/{/^set/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, TUN)"
"$ROOT/scripts/install-deps" || die "missing tools (see above)"
. "$ROOT/scripts/jdk.sh"
jwg_find_jdk || exit 1
JCMD=$JWG_JAVA_HOME/bin/jcmd JAVA=$JWG_JAVA_HOME/bin/java
[ -x "$JCMD" ] || die "no jcmd in $JWG_JAVA_HOME (a JDK, not a JRE, is needed)"
jar=$ROOT/cli/target/jwg-cli.jar
if [ "$BUILD" = 1 ] && { [ ! -f "$jar" ] || [ -n "$(find "$ROOT"/{noise,tun,core,cli} \
    \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; }; then
  "$ROOT/scripts/build" || die "build failed"
fi
[ -f "$jar" ] || die "$jar is missing: run ./scripts/build"

OUT=$HERE/results/alloc-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT" || die "cannot create $OUT"
RAW=$OUT/raw.tsv PAIR=jwg-jwg ROUND=1 PDIR=$OUT WG_GO=$(command -v wireguard-go || echo wireguard-go)
: >"$RAW"
trap e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

tag=$(( $$ % 100000 ))a
NSA=jwgal-$tag-a NSB=jwgal-$tag-b IFA=alla$tag IFB=allb$tag
ip netns add "$NSA" && E2E_NETNS+=("$NSA") && ip netns add "$NSB" && E2E_NETNS+=("$NSB") &&
  ip link add "alva$tag" netns "$NSA" type veth peer name "alvb$tag" netns "$NSB" &&
  ip -n "$NSA" addr add 192.0.2.1/24 dev "alva$tag" && ip -n "$NSB" addr add 192.0.2.2/24 dev "alvb$tag" &&
  ip -n "$NSA" link set "alva$tag" up && ip -n "$NSB" link set "alvb$tag" up &&
  ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up || die "could not build the namespaces"
(umask 077; wg genkey >"$OUT/a.key"; wg genkey >"$OUT/b.key")
ka=$(wg pubkey <"$OUT/a.key") kb=$(wg pubkey <"$OUT/b.key")
e2e_start jwg "$NSA" "$IFA" "$OUT/daemon-a.log" || die "jwg did not start"; pa=$E2E_PID
e2e_start jwg "$NSB" "$IFB" "$OUT/daemon-b.log" || die "jwg did not start"; pb=$E2E_PID
e2e_configure "$NSA" "$IFA" "$OUT/a.key" 51820 "$kb" 192.0.2.2 51821 10.0.0.1 10.0.0.2 &&
  e2e_configure "$NSB" "$IFB" "$OUT/b.key" 51821 "$ka" 192.0.2.1 51820 10.0.0.2 10.0.0.1 ||
  die "could not configure the interfaces"
for _ in $(seq 20); do ip netns exec "$NSA" ping -n -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break; done
ip netns exec "$NSB" iperf3 -s -B 10.0.0.2 -p 5201 </dev/null >"$OUT/iperf3-server.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 50); do ip netns exec "$NSB" ss -Hltn 'sport = :5201' | grep -q . && break; sleep 0.1; done
echo "alloc: warming up ($WARMUP s of TCP)" >&2
[ "$WARMUP" -gt 0 ] && ip netns exec "$NSA" iperf3 -c 10.0.0.2 -p 5201 -t "$WARMUP" >/dev/null 2>&1
sleep 1

# packets NS IF: packets the daemon read from its TUN (the kernel's tx) plus those it wrote (rx).
packets() {
  ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_packets" "/sys/class/net/$2/statistics/rx_packets" |
    awk '{ s += $1 } END { print s }'
}

# measure NAME CMD...: one run under a JFR recording in each daemon.
measure() {
  local name=$1 a0 b0 a1 b1
  shift
  for p in "$pa" "$pb"; do
    "$JCMD" "$p" JFR.start name=alloc settings=profile >/dev/null || die "jcmd JFR.start failed for pid $p"
  done
  a0=$(packets "$NSA" "$IFA") b0=$(packets "$NSB" "$IFB")
  "$@" >"$OUT/$name.out" 2>&1
  a1=$(packets "$NSA" "$IFA") b1=$(packets "$NSB" "$IFB")
  "$JCMD" "$pa" JFR.stop name=alloc filename="$OUT/$name-a.jfr" >/dev/null
  "$JCMD" "$pb" JFR.stop name=alloc filename="$OUT/$name-b.jfr" >/dev/null
  "$JAVA" "$HERE/alloc/AllocReport.java" totals "$name A" $((a1 - a0)) "$OUT/$name-a.jfr" >>"$OUT/totals.tsv"
  "$JAVA" "$HERE/alloc/AllocReport.java" totals "$name B" $((b1 - b0)) "$OUT/$name-b.jfr" >>"$OUT/totals.tsv"
  echo "  $name done" >&2
}

: >"$OUT/totals.tsv"
measure tcp_ab ip netns exec "$NSA" iperf3 -c 10.0.0.2 -p 5201 -t "$DURATION"
measure tcp_ba ip netns exec "$NSA" iperf3 -c 10.0.0.2 -p 5201 -t "$DURATION" -R
measure udp64 ip netns exec "$NSA" iperf3 -c 10.0.0.2 -p 5201 -t "$DURATION" -u -l 64 -b 0
measure ping ip netns exec "$NSA" ping -n -q -c $((DURATION * 100)) -i 0.01 10.0.0.2

{
  echo "jwg $(git -C "$ROOT" describe --always --dirty 2>/dev/null), $("$JAVA" -version 2>&1 | head -1), runs of $DURATION s after $WARMUP s of warm-up"
  echo
  awk -F'\t' 'BEGIN { printf "%-10s %12s %14s %10s %14s %10s\n", "run", "packets", "bytes (all)", "B/packet", "bytes (data)", "B/packet" }
    { printf "%-10s %12d %14d %10.1f %14d %10.1f\n", $1, $2, $3, $4, $5, $6 }' "$OUT/totals.tsv"
  echo
  echo "packets: read from + written to the daemon's TUN interface over the run; UDP and ping: one"
  echo "datagram each; TCP: with TUN offloads (the default) one TSO/GRO packet of up to ~45 datagrams"
  echo "all: every Java thread of the daemon; data: the TUN reader and the UDP receive thread only"
  if [ "$SITES" -gt 0 ]; then
    echo
    echo "heaviest sampled allocation sites of the data-path threads (all runs, both daemons):"
    "$JAVA" "$HERE/alloc/AllocReport.java" sites "$SITES" "$OUT"/*.jfr
  fi
} | tee "$OUT/table.txt"
echo
echo "alloc: results in $OUT (table.txt, totals.tsv, the .jfr recordings)"
