#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# AEAD throughput: jwg's ChaCha20-Poly1305 ("jwg" = its default engine, on the JDK's ChaCha20 and
# Poly1305 stubs; "jwg-vector" and "jwg-scalar" = its other engines), the JDK's Cipher and
# BouncyCastle's, sealing and opening 64/512/1420/8192-byte packets in place on a direct buffer
# (JMH, io.jwg.bench.AeadBenchmark), next to `openssl speed` for the same sizes in the same run.
# Prints a table in GB/s with ratios to OpenSSL and to the JDK, and writes it as CSV to
# benchmarks/results/aead-<time>.csv (plus the raw JMH CSV beside it).
#
# Knobs (environment): FORKS, WARMUP, ITER (iterations), TIME (per iteration), SIZES, IMPLS,
# OPENSSL_SECONDS. The defaults take about 10 minutes on 2 cores. Three 1-second warm-up iterations
# because jwg's engines are only fast once C2 has compiled them (about 2 s into a fork; before that
# the Vector API engine runs a thousand times slower). Figures on a shared machine are noisy;
# compare the ratios within one run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$repo/scripts/jdk.sh"
jwg_find_jdk
java=$JWG_JAVA_HOME/bin/java

FORKS=${FORKS:-2}
WARMUP=${WARMUP:-3}
ITER=${ITER:-2}
TIME=${TIME:-1s}
SIZES=${SIZES:-64,512,1420,8192}
IMPLS=${IMPLS:-jwg,jwg-vector,jwg-scalar,jdk,bouncycastle}
OPENSSL_SECONDS=${OPENSSL_SECONDS:-2}

results=$here/results
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
jmh_csv=$results/aead-$stamp-jmh.csv
out_csv=$results/aead-$stamp.csv
ossl_txt=$(mktemp)
trap 'rm -f "$ossl_txt"' EXIT

echo "== building benchmarks"
(cd "$repo" && ./scripts/mvn -q -pl benchmarks -am package -DskipTests)

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -n1); $(openssl version 2>/dev/null || echo 'no openssl')"

echo "== openssl speed -evp chacha20-poly1305 (sizes $SIZES, ${OPENSSL_SECONDS}s each)"
if command -v openssl >/dev/null 2>&1; then
  for size in ${SIZES//,/ }; do
    # the figure is in 1000s of bytes per second; plain = streaming encryption, -aead = one
    # nonce/AD/tag per buffer as TLS (and WireGuard) use it
    plain=$(openssl speed -seconds "$OPENSSL_SECONDS" -evp chacha20-poly1305 -bytes "$size" 2>/dev/null \
      | awk '/^ChaCha20-Poly1305/ { sub(/k$/, "", $2); print $2 * 1000 }')
    aead=$(openssl speed -seconds "$OPENSSL_SECONDS" -aead -evp chacha20-poly1305 -bytes "$size" 2>/dev/null \
      | awk '/^ChaCha20-Poly1305/ { sub(/k$/, "", $2); print $2 * 1000 }' || true)
    echo "$size ${plain:-0} ${aead:-0}" >>"$ossl_txt"
    echo "   $size bytes: $(awk -v b="${plain:-0}" 'BEGIN { printf "%.3f", b / 1e9 }') GB/s" \
      "(-aead: $(awk -v b="${aead:-0}" 'BEGIN { printf "%.3f", b / 1e9 }') GB/s)"
  done
else
  echo "   openssl not installed: ratios to OpenSSL left empty"
fi

echo "== JMH AeadBenchmark: impl=$IMPLS size=$SIZES, $FORKS forks x ($WARMUP warmup + $ITER) x $TIME"
# Other people may run JMH on this machine too; their lock must not stop this run.
"$java" -Djmh.ignoreLock=true -jar "$here/target/benchmarks.jar" 'io.jwg.bench.AeadBenchmark' \
  -f "$FORKS" -wi "$WARMUP" -i "$ITER" -w "$TIME" -r "$TIME" \
  -p impl="$IMPLS" -p size="$SIZES" -rf csv -rff "$jmh_csv" >"$results/aead-$stamp-jmh.log" 2>&1 \
  || { tail -n 30 "$results/aead-$stamp-jmh.log"; exit 1; }
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# JMH CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: impl","Param: size"
awk -F, -v ossl="$ossl_txt" -v csv="$out_csv" '
  function unq(s) { gsub(/"/, "", s); return s }
  function gb(x) { return x == "" ? "" : sprintf("%.3f", x) }
  function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "" : sprintf("%.2f", a / b) }
  BEGIN {
    while ((getline line < ossl) > 0) { split(line, f, " "); plain[f[1]] = f[2] / 1e9; tls[f[1]] = f[3] / 1e9 }
  }
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) col[unq($i)] = i; next }
  {
    bench = unq($col["Benchmark"]); sub(/.*\./, "", bench)
    impl = unq($col["Param: impl"]); size = unq($col["Param: size"]) + 0
    gbps = unq($col["Score"]) * size / 1e9
    err = unq($col["Score Error (99.9%)"]); err = (err == "NaN") ? "" : err * size / 1e9
    v[impl, size, bench] = gbps; e[impl, size, bench] = err
    if (!(impl in seenImpl)) { seenImpl[impl] = 1; impls[++ni] = impl }
    if (!(size in seenSize)) { seenSize[size] = 1; sizes[++ns] = size }
  }
  END {
    # sizes ascending
    for (i = 1; i <= ns; i++) for (j = i + 1; j <= ns; j++) if (sizes[j] < sizes[i]) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
    print "impl,size,seal_gbps,seal_err_gbps,open_gbps,open_err_gbps,openssl_gbps,openssl_aead_gbps,seal_vs_openssl,seal_vs_openssl_aead,seal_vs_jdk,open_vs_jdk" > csv
    printf "\n%-13s %6s %14s %14s %9s %9s %8s %8s %8s\n", "impl", "bytes", "seal GB/s", "open GB/s", "openssl", "seal/ossl", "seal/ossl-aead", "seal/jdk", "open/jdk"
    for (s = 1; s <= ns; s++) {
      size = sizes[s]
      for (k = 1; k <= ni; k++) {
        impl = impls[k]
        seal = v[impl, size, "seal"]; open = v[impl, size, "open"]
        jseal = v["jdk", size, "seal"]; jopen = v["jdk", size, "open"]
        o = (size in plain) ? plain[size] : ""; ot = (size in tls) ? tls[size] : ""
        printf "%-13s %6d %7s ±%5s %7s ±%5s %9s %9s %14s %8s %8s\n", impl, size, gb(seal), gb(e[impl, size, "seal"]),
          gb(open), gb(e[impl, size, "open"]), gb(o), ratio(seal, o), ratio(seal, ot), ratio(seal, jseal), ratio(open, jopen)
        printf "%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", impl, size, gb(seal), gb(e[impl, size, "seal"]), gb(open),
          gb(e[impl, size, "open"]), gb(o), gb(ot), ratio(seal, o), ratio(seal, ot), ratio(seal, jseal), ratio(open, jopen) > csv
      }
    }
  }' "$jmh_csv"

echo
echo "CSV: $out_csv (raw JMH: $jmh_csv)"
