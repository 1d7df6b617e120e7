# Sourced by ./gust, .ci/run and other scripts: exports JAVA_HOME pointing at a JDK of 21 or newer.
# The default java on these machines is 17; a newer JDK sits in /usr/lib/jvm. Prints which one it
# picked when it had to look (GUST_QUIET_JDK=1 silences it).

gust_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

gust_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(gust_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(gust_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(gust_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      [ "${GUST_QUIET_JDK:-0}" = 1 ] || echo "gust: using JDK $major at $JAVA_HOME (the default java is older)" >&2
      return 0
    fi
  done
  echo "gust: needs a JDK of 21 or newer; install one (e.g. Temurin 21) and set JAVA_HOME" >&2
  return 1
}
