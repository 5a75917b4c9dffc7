# shellcheck shell=bash
# Summarises VSTest .trx result files with grep/sed/awk only (no python/xml
# tools on a typical user's machine). Requires common.sh.

# trx_summarize DIR: reads every *.trx under DIR, prints failed test names to
# stdout and sets TRX_FILES, TRX_TOTAL, TRX_PASSED, TRX_FAILED, TRX_SKIPPED and
# TRX_BROKEN (files without counters, e.g. from a crashed test host).
#
# Counters come from <ResultSummary><Counters total= executed= passed= .../>.
# The VSTest TRX logger counts skipped tests in 'total' but not in 'executed'
# (its notExecuted counter stays 0), so skipped = total - passed - failed.
# error/timeout/aborted are folded into 'failed' so nothing bad goes unseen.
trx_summarize() {
  local dir=$1 f line
  TRX_FILES=0 TRX_TOTAL=0 TRX_PASSED=0 TRX_FAILED=0 TRX_SKIPPED=0 TRX_BROKEN=0
  local -a files=() failed_names=()

  if [[ -d $dir ]]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$dir" -type f -name '*.trx' -print0 2>/dev/null | sort -z)
  fi

  for f in "${files[@]}"; do
    TRX_FILES=$(( TRX_FILES + 1 ))
    # Prints "total passed failed" for the file, or nothing without Counters.
    line=$(awk '
      function attr(name,   s) {
        if (match($0, "[ \t]" name "=\"[0-9]+\"")) {
          s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); return s + 0
        }
        return 0
      }
      /<Counters[ \t]/ {
        print attr("total"), attr("passed"), attr("failed") + attr("error") + attr("timeout") + attr("aborted")
        exit
      }' "$f")
    if [[ -z $line ]]; then
      warn "no <Counters> in $f (test run aborted?)"
      TRX_BROKEN=$(( TRX_BROKEN + 1 ))
      continue
    fi
    local t p x
    read -r t p x <<<"$line"
    TRX_TOTAL=$(( TRX_TOTAL + t ))
    TRX_PASSED=$(( TRX_PASSED + p ))
    TRX_FAILED=$(( TRX_FAILED + x ))
    (( t - p - x > 0 )) && TRX_SKIPPED=$(( TRX_SKIPPED + t - p - x ))

    # Failed test names: testName attribute of <UnitTestResult outcome="Failed">
    # (the logger writes all attributes of an element on one line).
    while IFS= read -r line; do
      [[ -n $line ]] && failed_names+=("$line")
    done < <(awk '
      /<UnitTestResult[ \t]/ && / outcome="(Failed|Error|Timeout|Aborted)"/ {
        if (match($0, / testName="[^"]*"/)) print substr($0, RSTART + 11, RLENGTH - 12)
      }' "$f" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g')
  done

  if (( ${#failed_names[@]} )); then
    printf 'Failed tests:\n'
    printf '  - %s\n' "${failed_names[@]}"
  fi
}
