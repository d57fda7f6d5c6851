# SPDX-License-Identifier: MIT
# Sourced by jwg's scripts: sets JWG_JAVA_HOME to the newest JDK >= 21 on this machine.
# The machine's default `java` may be older (Debian 12 ships 17), so we look at JAVA_HOME first,
# then every JDK under /usr/lib/jvm, and take the highest feature version.

jwg_java_feature() { # $1 = a JDK home; prints its feature version (17, 21, 25, ...)
  local v=""
  if [ -r "$1/release" ]; then # cheap: no JVM start
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n1)
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}

jwg_find_jdk() {
  local best="" best_v=0 home v
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(jwg_java_feature "$home")
    [ -n "$v" ] || continue
    if [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
  done
  if [ "$best_v" -lt 21 ]; then
    echo "jwg: no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
    return 1
  fi
  JWG_JAVA_HOME=$best
  JWG_JAVA_FEATURE=$best_v
  export JWG_JAVA_HOME JWG_JAVA_FEATURE
}
