#!/usr/bin/env bash
# Run every libFuzzer target of fuzz/ in turn, SECONDS each (default 60),
# over its corpus: build-fuzz/fuzz/corpus/<target>/ (grows, kept between
# runs) plus the seeds made at build time. Sets up and builds build-fuzz
# (clang, ASan+UBSan) when it is missing.
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# env:   FUZZ_BUILD   build directory (default build-fuzz)
#        FUZZ_JUNIT   write one JUnit test case per target to this file
#        FUZZ_ARGS    more libFuzzer options, e.g. "-runs=2000000"
#
# Prints one line per target (execs, execs/s, cov, ft, corpus) from
# -print_final_stats; a crash, leak or timeout leaves its input as
# build-fuzz/fuzz/artifacts/<target>-crash-* and makes the script fail.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-60}
shift || true
build=${FUZZ_BUILD:-build-fuzz}
all=(object dynread deps ldcache distinfo editable literal records ext_tag wheel dwarf)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzz=true -Dpython=false -Dtests=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 2
fi
# The fuzz targets and their seeds only, not the whole project.
# fuzz_dwarf also needs the helper program it runs (lib/extprobe-dwarf).
ninja -C "$build" fuzz/seeds lib/extprobe-dwarf "${targets[@]/#/fuzz/fuzz_}" || exit 2

fz=$build/fuzz
mkdir -p "$fz/artifacts" "$fz/logs"
failed=0
cases=""
for t in "${targets[@]}"; do
  bin=$fz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t in $fz" >&2; exit 2; }
  case $t in object | dynread | deps | dwarf) maxlen=131072 ;; *) maxlen=65536 ;; esac
  mkdir -p "$fz/corpus/$t"
  log=$fz/logs/$t.log
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -max_len=$maxlen -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$fz/artifacts/$t-" \
    ${FUZZ_ARGS:-} "$fz/corpus/$t" "$fz/seeds/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
  printf '%-9s %s  execs=%s execs/s=%s cov=%s ft=%s corpus=%s\n' "$t" \
    "$([ $rc -eq 0 ] && echo ok || echo FAIL)" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}"
  if [ $rc -ne 0 ]; then
    failed=$((failed + 1))
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written|invalid JSON' "$log" | head -8 | sed 's/^/    /'
    cases+="<testcase classname=\"fuzz\" name=\"$t\"><failure message=\"libFuzzer exit $rc, see $log\"/></testcase>"
  else
    cases+="<testcase classname=\"fuzz\" name=\"$t\"/>"
  fi
done
if [ -n "${FUZZ_JUNIT:-}" ]; then
  printf '<?xml version="1.0"?>\n<testsuite name="fuzz" tests="%d" failures="%d">%s</testsuite>\n' \
    "${#targets[@]}" "$failed" "$cases" >"$FUZZ_JUNIT"
fi
exit $((failed > 0))
