# SPDX-License-Identifier: MIT
# Sourced by benchmarks/e2e.sh: one benchmark pair = two network namespaces joined by a veth link
# (underlay 192.0.2.1/24 <-> 192.0.2.2/24, MTU 1500), a WireGuard interface in each (tunnel
# 10.0.0.1/24 <-> 10.0.0.2/24, MTU 1420 as wg-quick picks for a 1500-byte IPv4 underlay), set up
# the way wg-quick does it (daemon, `wg set`, `ip addr`, `ip link`) but without wg-quick's routing
# policy, which a point-to-point /24 does not need. Every process, socket file and namespace made
# here is recorded so that e2e_cleanup removes exactly those, whatever way the script ends.
#
# Expects from the caller: ROOT (repository), WG_GO (wireguard-go), WG_GO_NEW (optional second
# wireguard-go), RAW (the raw.tsv being written), and the knobs DURATION, WARMUP, SETTLE,
# PING_COUNT, PING_INTERVAL, UDP_LEN, UDP_RATE.

E2E_PIDS=()   # daemons and iperf3 servers we started
E2E_SOCKS=()  # UAPI socket files of our interfaces (removing one makes a userspace daemon exit)
E2E_NETNS=()  # namespaces we created
E2E_CUR=""    # the measurement running right now (a `timeout` process), if any
HZ=$(getconf CLK_TCK)

e2e_cleanup() {
  local p s ns i
  if [ -n "$E2E_CUR" ]; then kill -TERM "$E2E_CUR" 2>/dev/null; fi
  for p in "${E2E_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for s in "${E2E_SOCKS[@]}"; do rm -f "$s"; done
  for p in "${E2E_PIDS[@]}" ${E2E_CUR:+"$E2E_CUR"}; do
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  for ns in "${E2E_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  # The pair's throw-away keys and the flattened iperf3 reports (its JSON stays).
  if [ -n "${PDIR:-}" ]; then rm -f "$PDIR"/[ab].key "$PDIR"/*.flat; fi
  E2E_PIDS=(); E2E_SOCKS=(); E2E_NETNS=(); E2E_CUR=""
}

# rec KEY VALUE: one raw figure of the current pair ($PAIR) in the current round ($ROUND).
rec() { printf '%s\t%s\t%s\t%s\n' "$PAIR" "$ROUND" "$1" "$2" >>"$RAW"; }

# calc EXPR [NAME=VALUE...]: floating-point arithmetic; empty when an input is empty or a divisor 0.
calc() {
  local expr=$1 kv args=()
  shift
  for kv in "$@"; do
    [ -n "${kv#*=}" ] || return 0
    args+=(-v "$kv")
  done
  awk "${args[@]}" "BEGIN { s = sprintf(\"%.6g\", ($expr)); if (s !~ /inf|nan/) print s }" 2>/dev/null
}

# e2e_run OUT SECONDS CMD...: runs CMD with a time limit, stdout to OUT, stderr to OUT.err. In the
# background and waited for, so that Ctrl-C reaches our trap at once, which then stops it.
e2e_run() {
  local out=$1 limit=$2 rc
  shift 2
  timeout -k 5 "$limit" "$@" >"$out" 2>"$out.err" </dev/null &
  E2E_CUR=$!
  wait "$E2E_CUR"
  rc=$?
  E2E_CUR=""
  [ -s "$out.err" ] || rm -f "$out.err"
  return "$rc"
}

# e2e_kernel_has_wireguard: `ip link add type wireguard` succeeds (in a throw-away namespace).
e2e_kernel_has_wireguard() {
  local ns="jwgprobe-$$" ok=1
  ip netns add "$ns" 2>/dev/null || return 1
  E2E_NETNS+=("$ns")
  if ip -n "$ns" link add name "wgprobe$$" type wireguard 2>/dev/null; then
    ok=0
    ip -n "$ns" link del "wgprobe$$" 2>/dev/null
  fi
  ip netns del "$ns"
  return "$ok"
}

impl_label() {
  case $1 in
    jwg) echo jwg ;; wg) echo wg-go ;; wgnew) echo "wg-go(new)" ;; kernel) echo kernel ;; *) echo "$1" ;;
  esac
}

# e2e_start IMPL NS IFNAME LOG: brings up a WireGuard interface; sets E2E_PID to the daemon's pid
# (empty for the kernel; a global, as a $(...) subshell would lose E2E_PIDS). Userspace daemons
# start as Debian's wireguard-go must: in the foreground in their own session, ready once
# /var/run/wireguard/IFNAME.sock exists. `ip netns exec`, setsid (we are not a process-group
# leader here) and env all exec, so $! is the daemon itself (and jwg's launcher execs the JVM).
e2e_start() {
  local impl=$1 ns=$2 ifn=$3 log=$4 bin pid sock="/var/run/wireguard/$3.sock" i
  E2E_PID=""
  case $impl in
    kernel) ip -n "$ns" link add name "$ifn" type wireguard || return 1; return 0 ;;
    jwg) bin=$ROOT/jwg ;;
    wg) bin=$WG_GO ;;
    wgnew) bin=$WG_GO_NEW ;;
    *) echo "e2e: unknown implementation '$impl'" >&2; return 1 ;;
  esac
  ip netns exec "$ns" setsid env WG_PROCESS_FOREGROUND=1 "$bin" -f "$ifn" </dev/null >"$log" 2>&1 &
  pid=$!
  E2E_PIDS+=("$pid")
  E2E_SOCKS+=("$sock")
  # A JVM on a busy 2-core machine can take a while; 60 s is generous for both.
  for i in $(seq 600); do
    [ -S "$sock" ] && { E2E_PID=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "e2e: $impl did not create $sock (log: $log):" >&2
  tail -n 5 "$log" >&2
  return 1
}

# e2e_configure NS IFNAME KEYFILE PORT PEER-PUB PEER-UNDERLAY PEER-PORT OWN-TUNNEL PEER-TUNNEL
e2e_configure() {
  local ns=$1 ifn=$2
  ip netns exec "$ns" wg set "$ifn" private-key "$3" listen-port "$4" \
    peer "$5" endpoint "$6:$7" allowed-ips "$9/32" &&
    ip -n "$ns" addr add "$8/24" dev "$ifn" &&
    ip -n "$ns" link set dev "$ifn" mtu 1420 up
}

# cpu_ticks PID...: the processes' user + system time, in clock ticks (fields 14 and 15 of
# /proc/PID/stat, all threads included); empty without pids.
cpu_ticks() {
  [ $# -gt 0 ] || return 0
  local p t=0 v
  for p in "$@"; do
    # The comm field may hold spaces: count fields after its closing parenthesis.
    v=$(awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$p/stat" 2>/dev/null) || return 0
    [ -n "$v" ] || return 0
    t=$((t + v))
  done
  echo "$t"
}

# status_mib PID FIELD: VmRSS or VmHWM of a process in MiB; empty without a pid.
status_mib() {
  [ -n "$1" ] || return 0
  awk -v f="$2:" '$1 == f { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status" 2>/dev/null
}

# jget FLATFILE PATH: one value of a flattened JSON report.
jget() { awk -F'\t' -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# e2e_iperf NAME LIMIT ARGS...: one iperf3 client run from A to the server at B; leaves the JSON
# in $PDIR/NAME.json and its flattened form in $PDIR/NAME.flat. Returns iperf3's status.
e2e_iperf() {
  local name=$1 limit=$2 rc
  shift 2
  e2e_run "$PDIR/$name.json" "$limit" ip netns exec "$NSA" \
    iperf3 -c 10.0.0.2 -p 5201 --connect-timeout 5000 -J "$@"
  rc=$?
  awk -f "$HERE/e2e/json-flat.awk" "$PDIR/$name.json" >"$PDIR/$name.flat" 2>/dev/null
  return "$rc"
}

# e2e_tcp NAME ARGS...: a TCP run; records receiver throughput, bytes, retransmits and the
# daemons' CPU seconds per GB received.
e2e_tcp() {
  local name=$1 c0 c1 flat err bps bytes cpu
  shift
  c0=$(cpu_ticks "${DAEMONS[@]}")
  e2e_iperf "$name" $((DURATION + 30)) -t "$DURATION" "$@"
  c1=$(cpu_ticks "${DAEMONS[@]}")
  flat=$PDIR/$name.flat
  err=$(jget "$flat" error)
  bps=$(jget "$flat" end.sum_received.bits_per_second)
  bytes=$(jget "$flat" end.sum_received.bytes)
  if [ -n "$err" ] || [ -z "$bps" ]; then
    echo "  $name: failed: ${err:-no result (see $PDIR/$name.json.err)}" >&2
    rec "${name}_error" "${err:-no result}"
    return 0
  fi
  cpu=$(calc '(c1 - c0) / hz' c1="$c1" c0="$c0" hz="$HZ")
  rec "${name}_mbps" "$(calc 'b / 1e6' b="$bps")"
  rec "${name}_sender_mbps" "$(calc 'b / 1e6' b="$(jget "$flat" end.sum_sent.bits_per_second)")"
  rec "${name}_bytes" "$bytes"
  rec "${name}_retransmits" "$(jget "$flat" end.sum_sent.retransmits)"
  rec "${name}_cpu_s" "$cpu"
  rec "${name}_cpu_s_per_gb" "$(calc 'c / (b / 1e9)' c="$cpu" b="$bytes")"
  TCP_BYTES=$((TCP_BYTES + ${bytes%.*}))
  [ -n "$cpu" ] && TCP_TICKS=$((TCP_TICKS + c1 - c0))
  printf '  %-8s %10.1f Mbit/s%s\n' "$name" "$(calc 'b / 1e6' b="$bps")" \
    "${cpu:+, daemons $cpu CPU s}" >&2
}

# e2e_udp: UDP A->B with UDP_LEN-byte payloads at UDP_RATE (0 = as fast as iperf3 can send);
# records packets/s sent and received and the loss.
e2e_udp() {
  local flat c0 c1 err secs sent lost rx
  c0=$(cpu_ticks "${DAEMONS[@]}")
  e2e_iperf udp $((DURATION + 30)) -u -l "$UDP_LEN" -b "$UDP_RATE" -t "$DURATION"
  c1=$(cpu_ticks "${DAEMONS[@]}")
  flat=$PDIR/udp.flat
  err=$(jget "$flat" error)
  secs=$(jget "$flat" end.sum_received.seconds)
  [ -n "$secs" ] || secs=$(jget "$flat" end.sum.seconds)
  sent=$(jget "$flat" end.sum.packets)
  lost=$(jget "$flat" end.sum.lost_packets)
  if [ -n "$err" ] || [ -z "$secs" ] || [ -z "$sent" ]; then
    echo "  udp: failed: ${err:-no result (see $PDIR/udp.json.err)}" >&2
    rec udp_error "${err:-no result}"
    return 0
  fi
  rx=$(calc '(s - l) / t' s="$sent" l="$lost" t="$secs")
  rec udp_payload_bytes "$UDP_LEN"
  rec udp_sent_pps "$(calc 's / t' s="$sent" t="$secs")"
  rec udp_rx_pps "$rx"
  rec udp_packets "$sent"
  rec udp_lost "$lost"
  rec udp_loss_pct "$(jget "$flat" end.sum.lost_percent)"
  rec udp_cpu_s "$(calc '(c1 - c0) / hz' c1="$c1" c0="$c0" hz="$HZ")"
  printf '  %-8s %10.0f packets/s received, %.1f%% lost\n' udp "$rx" \
    "$(jget "$flat" end.sum.lost_percent)" >&2
}

# e2e_ping: PING_COUNT echo requests A->B at PING_INTERVAL; records p50/p99 (nearest rank).
e2e_ping() {
  local out=$PDIR/ping.txt n mn p50 p99 mx mean
  e2e_run "$out" "$(awk -v c="$PING_COUNT" -v i="$PING_INTERVAL" 'BEGIN { printf "%d\n", c * i + 15 }')" \
    ip netns exec "$NSA" ping -n -c "$PING_COUNT" -i "$PING_INTERVAL" -W 1 10.0.0.2
  read -r n mn p50 p99 mx mean < <(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$out" | sort -n | awk '
    { t[NR] = $1; sum += $1 }
    function rank(p,   r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return t[r] }
    END { if (NR == 0) print 0; else printf "%d %s %s %s %s %.4g\n", NR, t[1], rank(0.5), rank(0.99), t[NR], sum / NR }')
  rec ping_sent "$PING_COUNT"
  rec ping_received "$n"
  if [ "$n" -eq 0 ]; then
    echo "  ping: no replies" >&2
    return 0
  fi
  rec ping_min_ms "$mn"; rec ping_p50_ms "$p50"; rec ping_p99_ms "$p99"; rec ping_max_ms "$mx"
  rec ping_mean_ms "$mean"
  printf '  %-8s p50 %s ms, p99 %s ms (%s of %s replies)\n' ping "$p50" "$p99" "$n" "$PING_COUNT" >&2
}
