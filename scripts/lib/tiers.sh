# shellcheck shell=bash
# The test tiers of './sweep test' (tests/TestSupport/Tier.cs). Requires
# common.sh, and RESULTS_DIR, LOG_DIR, REPO_ROOT and TFM from ./sweep.
#
#   parallel  every test without a Tier trait. The test projects run side by
#             side (SWEEP_TEST_JOBS at a time, default: the number of cores),
#             and xunit runs a project's classes in parallel unless it says
#             otherwise: Jobs.Tests runs one test at a time (libtorch's random
#             generator is process-wide), and Web.Tests runs the classes of its
#             ProcessWideMeasurement and TimedIntervals collections alone.
#   browser   projects tagged as a whole, [assembly: AssemblyTrait(Tier.Name,
#             Tier.Browser)]: chromium against a real web and worker process.
#   system    classes tagged [Trait(Tier.Name, Tier.System)]: real web and
#             worker processes; some stop and restart the shared PostgreSQL,
#             some time leases and heartbeats. One project at a time, one test
#             at a time, and nothing else on the cluster while they run.
#
# Each 'dotnet test' writes its .trx under RESULTS_DIR/TIER/PROJECT, so that
# projects finishing in the same second never overwrite each other's results.

TIERS_ALL=(parallel browser system)

# tier_filter TIER USER_FILTER: the --filter value for TIER, ANDed with the
# user's own --filter when there is one.
tier_filter() {
  local own
  case $1 in
    parallel) own='Tier!=System&Tier!=Browser' ;;
    browser)  own='Tier=Browser' ;;
    system)   own='Tier=System' ;;
    *) die "unknown test tier '$1' (one of: ${TIERS_ALL[*]})" ;;
  esac
  if [[ -n $2 ]]; then printf '(%s)&(%s)\n' "$2" "$own"; else printf '%s\n' "$own"; fi
}

# tier_projects TIER: the test projects that hold tests of TIER, the largest
# sources first (on a pool, the longest project should start first).
tier_projects() {
  local tier=$1 csproj dir bytes
  for csproj in "$REPO_ROOT"/tests/*/*.csproj; do
    # tests/Directory.Build.props makes every project here a test project but
    # the support library, which opts out in its own file.
    ! grep -q '<IsTestProject>false</IsTestProject>' "$csproj" || continue
    dir=$(dirname -- "$csproj")
    case $tier in
      parallel) ! _tier_sources_match "$dir" 'AssemblyTrait\(' || continue ;;
      browser)  _tier_sources_match "$dir" 'Tier\.Browser\)' || continue ;;
      system)   _tier_sources_match "$dir" 'Tier\.System\)' || continue ;;
    esac
    bytes=$(find "$dir" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -exec cat {} + | wc -c)
    printf '%s %s\n' "$bytes" "$csproj"
  done | sort -rn | cut -d' ' -f2-
}

_tier_sources_match() { # DIR ERE
  grep -rqE --include='*.cs' --exclude-dir=bin --exclude-dir=obj -- "$2" "$1"
}

# tier_run TIER JOBS USER_FILTER ARGS...: runs 'dotnet test' on every project
# of TIER, JOBS at a time. With JOBS > 1 each project's output goes to
# LOG_DIR/test-TIER-PROJECT.log and is printed whole when the project ends;
# with JOBS = 1 it streams. Fails when any 'dotnet test' failed.
tier_run() {
  local tier=$1 jobs=$2 filter project rc=0 running=0 pid
  filter=$(tier_filter "$tier" "$3")
  shift 3
  local -a projects=()
  mapfile -t projects < <(tier_projects "$tier")
  local -A project_names=() logs=()
  # Projects side by side share the cores: one libtorch thread each (the
  # trainers the Jobs tests start inherit it). libtorch's default of one thread
  # per core oversubscribes them, and its idle threads spin: run alone,
  # Sweep.Jobs.Tests took the same 34 s with one thread and 21 s less CPU.
  if (( jobs > 1 )); then export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}; fi
  # The runtime re-JITs a method at tier 1 after 30 calls, once 100 ms pass
  # without new methods. These test processes meet new code for minutes (a web
  # host per class) and call most of it too few times for a re-JIT to pay off.
  # Waiting for 1 s of calm used 6 % less CPU in four alternating pairs of
  # `./sweep bench tests --fast` (docs/benchmarks.md, "The test command"). The
  # other tiers time real processes and keep the runtime's default.
  if [[ $tier == parallel ]]; then export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-1000}; fi
  # Runs as run_child's child: a TERM from ./sweep's cleanup ends the tests too.
  trap 'kill -TERM "${!project_names[@]}" 2>/dev/null; exit 143' TERM
  for project in "${projects[@]}"; do
    while (( running >= jobs )); do _tier_reap || rc=1; done
    local name log=""
    name=$(basename -- "$project" .csproj)
    log "$tier tier: dotnet test $name --filter \"$filter\" $*"
    if (( jobs > 1 )); then
      log=$LOG_DIR/test-$tier-$name.log
      _tier_test_project "$tier" "$filter" "$project" "$@" >"$log" 2>&1 &
    else
      _tier_test_project "$tier" "$filter" "$project" "$@" &
    fi
    project_names[$!]=$name
    logs[$!]=$log
    running=$(( running + 1 ))
  done
  while (( running > 0 )); do _tier_reap || rc=1; done
  return "$rc"
}

# _tier_reap: waits for one project of tier_run, prints its log, and returns
# its 'dotnet test' status.
_tier_reap() {
  local pid status=0
  wait -n -p pid || status=$?
  running=$(( running - 1 ))
  [[ -z ${logs[$pid]} ]] || cat -- "${logs[$pid]}"
  (( status == 0 )) || log "${project_names[$pid]}: dotnet test exited with code $status"
  unset "project_names[$pid]" "logs[$pid]"
  return "$status"
}

_tier_test_project() { # TIER FILTER CSPROJ ARGS...
  local tier=$1 filter=$2 project=$3 name
  shift 3
  name=$(basename -- "$project" .csproj)
  # The built assembly, not the project: on a project, 'dotnet test' first evaluates it with MSBuild, about 1 s of
  # CPU per project and tier (docs/benchmarks.md, "2026-12-08: shared web hosts"). The build before the tiers made it.
  local dll
  dll=$(dirname -- "$project")/bin/Release/$TFM/$name.dll
  [[ -f $dll ]] || die "$name is not built: no $dll"
  # LogFilePrefix, not LogFileName: a project's .trx must not replace another's.
  dotnet test "$dll" \
    --logger "trx;LogFilePrefix=$tier" --results-directory "$RESULTS_DIR/$tier/$name" \
    --filter "$filter" "$@"
}
