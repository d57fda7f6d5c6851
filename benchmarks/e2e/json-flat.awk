# SPDX-License-Identifier: MIT
# Flattens a JSON document (RFC 8259) into one "path<TAB>value" line per scalar, e.g.
#   end.sum_received.bits_per_second	9.41e+08
#   end.streams.0.sender.retransmits	12
# Strings are printed without their quotes and with their escapes left as they are. Used by
# benchmarks/e2e.sh to read iperf3 -J reports with awk alone (no jq or python on a bare machine).
# A JSON token never spans a line (strings hold no raw newline), so each line is tokenised on its
# own while the container stack carries over; that keeps mawk's substr() calls short.

function path(   i, p) {
  p = ""
  for (i = 1; i <= depth; i++) p = p (i > 1 ? "." : "") key[i]
  return p
}

function scalar(v) {
  if (depth > 0 && kind[depth] == "o" && want_key) { key[depth] = v; want_key = 0; return }
  print path() "\t" v
}

BEGIN { depth = 0; want_key = 0 }

{
  line = $0
  while (length(line) > 0) {
    c = substr(line, 1, 1)
    if (c ~ /[ \t\r:]/) { line = substr(line, 2); continue }
    if (c == "{") { kind[++depth] = "o"; key[depth] = ""; want_key = 1; line = substr(line, 2); continue }
    if (c == "[") { kind[++depth] = "a"; key[depth] = 0; want_key = 0; line = substr(line, 2); continue }
    if (c == "}" || c == "]") { depth--; want_key = 0; line = substr(line, 2); continue }
    if (c == ",") {
      if (kind[depth] == "a") key[depth]++
      else want_key = 1
      line = substr(line, 2)
      continue
    }
    if (c == "\"") {
      if (match(line, /^"([^"\\]|\\.)*"/)) {
        scalar(substr(line, 2, RLENGTH - 2))
        line = substr(line, RLENGTH + 1)
      } else {
        line = ""  # unterminated string: not JSON; drop the rest of the line
      }
      continue
    }
    if (match(line, /^[-+0-9.eEa-zA-Z]+/)) {
      scalar(substr(line, 1, RLENGTH))
      line = substr(line, RLENGTH + 1)
      continue
    }
    line = substr(line, 2)
  }
}
