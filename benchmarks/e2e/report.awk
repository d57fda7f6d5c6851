# SPDX-License-Identifier: MIT
# benchmarks/e2e.sh's report: reads facts.tsv (key, value) and raw.tsv (pair, round, key, value),
# prints the machine header, the table (one column per pair, one row per figure) and the ratios
# that issue 6 sets targets for, and writes the same figures, unrounded, to `csv` (one row per pair
# and round, plus a "median" row per pair when there were several rounds) and `json`. With several
# rounds every figure shown is the median over the rounds; a pair is "ok" only if every round was.
# Variables: pairs (the run's pair ids in order, comma-separated), csv, json. Run with -F'\t'.

function isnum(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); return "\"" s "\"" }
function jnum(v) { return v == "" ? "null" : (isnum(v) ? v : jstr(v)) }
function csvq(v) { if (v ~ /[",\n]/) { gsub(/"/, "\"\"", v); v = "\"" v "\"" } return v }
function jval(k, v) { return (k ~ /^(label|a|b|status|note)$|_error$/) ? jstr(v) : jnum(v) }
function get(p, k) { return ((p, k) in val) ? val[p, k] : "" }
function fmt(v, f) { return v == "" ? "-" : sprintf(f, v) }
function ratio(x, y) { return (x == "" || y == "" || y + 0 == 0) ? "" : x / y }
function mean2(x, y) { return (x == "" || y == "") ? "" : (x + y) / 2 }
function mib(p, side) { return get(p, "rss_" side "_mib") }

# One table row: LABEL, then per pair the value of KEY (scaled by DIV) in FORMAT, or A/B values of
# the two keys KEY_a / KEY_b when KEY ends in "_%s".
function row(label, key, f, div,   i, p, cell, x, y) {
  printf "%-30s", label
  for (i = 1; i <= np; i++) {
    p = P[i]
    if (key ~ /%s/) {
      x = get(p, sprintf(key, "a")); y = get(p, sprintf(key, "b"))
      cell = (x == "" && y == "") ? "-" : fmt(x, f) "/" fmt(y, f)
    } else {
      x = get(p, key)
      cell = (x == "") ? "-" : sprintf(f, x / div)
    }
    printf " %*s", w[i], cell
  }
  printf "\n"
}

# A ratio line and its JSON object. KIND "min": the ratio should be >= TARGET; "max": <= TARGET.
# (Compared as numbers: awk compares two strings as text, and "10.3" sorts before "5.5".)
function verdict(v, kind, target, milestone) {
  if (v == "") return "n/a"
  if (kind == "min") {
    if (v + 0 >= target + 0) return "target met"
    if (milestone != "" && v + 0 >= milestone + 0) return "milestone met, target not met"
    return milestone != "" ? "below milestone" : "target not met"
  }
  return v + 0 <= target + 0 ? "target met" : "target not met"
}

function tcp_ratio(name, num, den, target, milestone,   ab, ba, m, v, goal) {
  ab = ratio(get(num, "tcp1_ab_mbps"), get(den, "tcp1_ab_mbps"))
  ba = ratio(get(num, "tcp1_ba_mbps"), get(den, "tcp1_ba_mbps"))
  m = ratio(mean2(get(num, "tcp1_ab_mbps"), get(num, "tcp1_ba_mbps")),
            mean2(get(den, "tcp1_ab_mbps"), get(den, "tcp1_ba_mbps")))
  v = verdict(m, "min", target, milestone)
  goal = ">= " target "x" (milestone != "" ? ", milestone >= " milestone "x" : "")
  printf "  %-44s %6s  (A->B %s, B->A %s)  goal %s: %s\n", "TCP 1 stream " num " / " den,
    fmt(m, "%.2fx"), fmt(ab, "%.2fx"), fmt(ba, "%.2fx"), goal, v
  addratio(name, num, den, "tcp1 Mbit/s, mean of A->B and B->A", m, ab, ba, ">= " target, milestone == "" ? "" : ">= " milestone, v)
}

function addratio(name, num, den, metric, v, ab, ba, target, milestone, vd) {
  nr++
  R[nr] = sprintf("{\"name\": %s, \"numerator\": %s, \"denominator\": %s, \"metric\": %s, \"value\": %s, " \
    "\"a_to_b\": %s, \"b_to_a\": %s, \"target\": %s, \"milestone\": %s, \"verdict\": %s}",
    jstr(name), jstr(num), jstr(den), jstr(metric), jnum(v), jnum(ab), jnum(ba), jstr(target),
    milestone == "" ? "null" : jstr(milestone), jstr(vd))
}

function ping_ratio(name, num, den,   v, vd) {
  v = ratio(get(num, "ping_p50_ms"), get(den, "ping_p50_ms"))
  vd = verdict(v, "max", 1.2)
  printf "  %-44s %6s  goal <= 1.2x: %s\n", "ping p50 " num " / " den, fmt(v, "%.2fx"), vd
  addratio(name, num, den, "ping p50 ms", v, "", "", "<= 1.2", "", vd)
}

function ratios(base, jj, jb,   i, p, m, x, vd) {
  tcp_ratio("tcp1_" jj "_vs_" base, jj, base, "5.5", "1.5")
  tcp_ratio("tcp1_" jb "_vs_" base, jb, base, "1.0", "")
  ping_ratio("ping_p50_" jj "_vs_" base, jj, base)
}

# The figure over all rounds: the median of the numbers; for status the first that is not "ok";
# for other text the last one given.
function combine(p, k,   n, i, j, x, m, a) {
  n = cnt[p, k]; m = 0
  if (k == "status") {
    for (i = 1; i <= n; i++) if (vals[p, k, i] != "ok") return vals[p, k, i]
    return "ok"
  }
  for (i = 1; i <= n; i++) {
    x = vals[p, k, i]
    if (x == "") continue
    if (!isnum(x)) { for (j = n; j >= 1; j--) if (vals[p, k, j] != "") return vals[p, k, j] }
    for (j = ++m; j > 1 && a[j - 1] + 0 > x + 0; j--) a[j] = a[j - 1]
    a[j] = x
  }
  if (m == 0) return ""
  return m % 2 ? a[(m + 1) / 2] : sprintf("%.6g", (a[m / 2] + a[m / 2 + 1]) / 2)
}

FNR == NR { fk[++nf] = $1; fv[$1] = $2; next }
{
  if (!($3 in seen)) { seen[$3] = 1; ko[++nk] = $3 }
  if ($2 + 0 > nrounds) nrounds = $2 + 0
  vals[$1, $3, ++cnt[$1, $3]] = $4
  byround[$1, $2, $3] = $4
}

END {
  for (pk in cnt) { split(pk, pkx, SUBSEP); val[pk] = combine(pkx[1], pkx[2]) }
  np = split(pairs, P, ",")
  for (i = 1; i <= np; i++) { w[i] = length(P[i]) < 11 ? 11 : length(P[i]) }

  printf "jwg end-to-end benchmark, %s on %s\n", fv["date"], fv["host"]
  printf "  CPU: %s, %s cores; kernel %s (WireGuard module: %s)\n", fv["cpu_model"], fv["cores"], fv["kernel"], fv["kernel_wireguard"]
  printf "  JDK: %s; jwg %s\n", fv["jdk"], fv["jwg_commit"]
  printf "  wg = %s\n", fv["wireguard_go"]
  if ("wireguard_go_new" in fv) printf "  wgnew = %s\n", fv["wireguard_go_new"]
  printf "  %s; runs of %s s after %s s of warm-up, %s pings at %s s, UDP %s-byte payloads at -b %s\n",
    fv["iperf3"], fv["duration_s"], fv["warmup_s"], fv["ping_count"], fv["ping_interval_s"], fv["udp_payload_bytes"], fv["udp_rate"]
  printf "  load average before %s, after %s (a shared machine makes every figure noisy)\n", fv["load_before"], fv["load_after"]
  if (nrounds > 1) printf "  every figure is the median of %d rounds\n", nrounds
  printf "\n"

  printf "%-30s", "pair (A-B)"
  for (i = 1; i <= np; i++) printf " %*s", w[i], P[i]
  printf "\n"
  row("TCP 1 stream A->B Mbit/s", "tcp1_ab_mbps", "%.0f", 1)
  row("TCP 1 stream B->A Mbit/s", "tcp1_ba_mbps", "%.0f", 1)
  row("TCP 4 streams A->B Mbit/s", "tcp4_ab_mbps", "%.0f", 1)
  row("TCP 4 streams B->A Mbit/s", "tcp4_ba_mbps", "%.0f", 1)
  row("UDP 64 B A->B kpps received", "udp_rx_pps", "%.1f", 1000)
  row("UDP 64 B A->B kpps sent", "udp_sent_pps", "%.1f", 1000)
  row("UDP 64 B loss %", "udp_loss_pct", "%.1f", 1)
  row("ping p50 ms", "ping_p50_ms", "%.3f", 1)
  row("ping p99 ms", "ping_p99_ms", "%.3f", 1)
  row("CPU s/GB (daemons, TCP)", "tcp_cpu_s_per_gb", "%.2f", 1)
  row("RSS idle MiB A/B", "rss_idle_%s_mib", "%.1f", 1)
  row("RSS peak MiB A/B", "rss_peak_%s_mib", "%.1f", 1)
  printf "%-30s", "status"
  for (i = 1; i <= np; i++) printf " %*s", w[i], get(P[i], "status")
  printf "\n"
  for (i = 1; i <= np; i++) {
    if (get(P[i], "status") == "ok") continue
    if (P[i] == "kernel" && get(P[i], "status") == "skipped") printf "kernel: no wireguard module in this kernel (skipped)\n"
    else printf "%s: %s (%s)\n", P[i], get(P[i], "note"), get(P[i], "status")
  }
  printf "A = left namespace (10.0.0.1), B = right (10.0.0.2); wg = wireguard-go on PATH; wgnew = --wireguard-go.\n"
  printf "CPU s/GB: the two daemons' user+system time over the four TCP runs per GB received (not iperf3's,\n"
  printf "nor softirq work done outside the daemons; none for the kernel module).\n"

  printf "\nratios (this run):\n"
  ratios("wg-wg", "jwg-jwg", "jwg-wg")
  if (index("," pairs ",", ",wgnew-wgnew,")) ratios("wgnew-wgnew", "jwg-jwg", "jwg-wgnew")
  m = ""
  for (i = 1; i <= np; i++) {
    if (get(P[i], "a") == "jwg" && (x = mib(P[i], "idle_a")) != "" && (m == "" || x + 0 > m + 0)) m = x
    if (get(P[i], "b") == "jwg" && (x = mib(P[i], "idle_b")) != "" && (m == "" || x + 0 > m + 0)) m = x
  }
  vd = m == "" ? "n/a" : (m + 0 <= 64 ? "target met" : "target not met")
  printf "  %-44s %6s  goal <= 64 MiB: %s\n", "idle RSS of a jwg daemon (largest)", fmt(m, "%.1f MiB"), vd
  addratio("idle_rss_jwg_mib", "", "", "VmRSS MiB after setup, largest jwg daemon", m, "", "", "<= 64", "", vd)

  # CSV: one row per pair and round, every raw key as a column (descriptive ones first).
  nc = split("pair round label a b status note", C, " ")
  for (i = 1; i <= nk; i++) if (ko[i] !~ /^(label|a|b|status|note)$/) C[++nc] = ko[i]
  for (j = 1; j <= nc; j++) printf "%s%s", (j > 1 ? "," : ""), C[j] > csv
  printf "\n" > csv
  for (i = 1; i <= np; i++) {
    for (r = 1; r <= nrounds + (nrounds > 1); r++) {
      printf "%s,%s", csvq(P[i]), (r > nrounds ? "median" : r) > csv
      for (j = 3; j <= nc; j++) printf ",%s", csvq(r > nrounds ? get(P[i], C[j]) : byround[P[i], r, C[j]]) > csv
      printf "\n" > csv
    }
  }

  strings = "^(date|host|cpu_model|kernel|kernel_wireguard|jdk|wireguard_go|wireguard_go_new|iperf3|jwg_commit|mode|udp_rate|load_before|load_after)$"
  printf "{\n  \"machine\": {" > json
  for (i = 1; i <= nf; i++) printf "%s\n    %s: %s", (i > 1 ? "," : ""), jstr(fk[i]), fk[i] ~ strings ? jstr(fv[fk[i]]) : jnum(fv[fk[i]]) > json
  printf "\n  },\n  \"pairs\": [" > json
  for (i = 1; i <= np; i++) {
    printf "%s\n    {\"pair\": %s", (i > 1 ? "," : ""), jstr(P[i]) > json
    for (j = 3; j <= nc; j++) if ((P[i], C[j]) in val) printf ", %s: %s", jstr(C[j]), jval(C[j], get(P[i], C[j])) > json
    if (nrounds > 1) {
      printf ",\n     \"rounds\": [" > json
      for (r = 1; r <= nrounds; r++) {
        printf "%s{\"round\": %d", (r > 1 ? ", " : ""), r > json
        for (j = 3; j <= nc; j++) if ((P[i], r, C[j]) in byround) printf ", %s: %s", jstr(C[j]), jval(C[j], byround[P[i], r, C[j]]) > json
        printf "}" > json
      }
      printf "]" > json
    }
    printf "}" > json
  }
  printf "\n  ],\n  \"ratios\": [" > json
  for (i = 1; i <= nr; i++) printf "%s\n    %s", (i > 1 ? "," : ""), R[i] > json
  printf "\n  ],\n  \"notes\": %s\n}\n", jstr("A = left namespace (10.0.0.1, iperf3 client, ping source), B = right (10.0.0.2). " \
    "Mbit/s are iperf3 receiver figures. *_cpu_s: user+system seconds of the two WireGuard daemons only " \
    "(not iperf3, not softirq work outside them). rss_*_mib: VmRSS after setup (idle), VmHWM after the runs (peak), " \
    "VmRSS after the runs (end).") > json
}
