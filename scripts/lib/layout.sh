# shellcheck shell=bash
# How many worker processes './sweep up' starts on this host, and how many
# libtorch threads each trainer gets (Worker__TrainerThreads). Sourced by
# ./sweep; needs common.sh.
#
#   SWEEP_WORKERS          worker processes (default: see layout_default_workers)
#   SWEEP_TRAINER_THREADS  threads per trainer (default: cores / workers)
#
# Why the default: docs/benchmarks.md, "Throughput on a CPU host". On a CPU-only
# host, LAYOUT_CPU_WORKERS_PER_CORE decides between one worker with every core
# (0) and one single-threaded worker per core (1), whichever finished the 12-cell
# grid sooner there. A CUDA worker (Worker__Device=cuda…) serves its one device
# alone, with libtorch's own thread default.

LAYOUT_CPU_WORKERS_PER_CORE=1
# More single-threaded workers than this only add memory (each trainer holds
# its dataset and libtorch) for little throughput: beyond it, cores are split.
LAYOUT_MAX_DEFAULT_WORKERS=8

layout_cores() { nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1; }

layout_is_cuda() { [[ ${Worker__Device:-cpu} == cuda* ]]; }

# layout_default_workers CORES: the measured layout for this kind of host.
layout_default_workers() {
  local cores=$1
  if layout_is_cuda || (( LAYOUT_CPU_WORKERS_PER_CORE == 0 )); then
    echo 1
  elif (( cores > LAYOUT_MAX_DEFAULT_WORKERS )); then
    echo "$LAYOUT_MAX_DEFAULT_WORKERS"
  else
    echo "$cores"
  fi
}

# layout_default_threads CORES WORKERS: the cores split between the workers'
# trainers, at least 1; empty on CUDA (libtorch's default is right there).
layout_default_threads() {
  local cores=$1 workers=$2
  if layout_is_cuda; then
    echo ""
  elif (( cores / workers > 1 )); then
    echo $(( cores / workers ))
  else
    echo 1
  fi
}

# layout_resolve: sets LAYOUT_WORKERS and LAYOUT_THREADS from the environment
# or the defaults; dies on a value that is not a positive whole number.
layout_resolve() {
  local cores; cores=$(layout_cores)
  LAYOUT_WORKERS=${SWEEP_WORKERS:-$(layout_default_workers "$cores")}
  if ! [[ $LAYOUT_WORKERS =~ ^[1-9][0-9]*$ ]] || (( LAYOUT_WORKERS > 64 )); then
    die "SWEEP_WORKERS must be a whole number from 1 to 64 (got '$LAYOUT_WORKERS')"
  fi
  LAYOUT_THREADS=${SWEEP_TRAINER_THREADS-$(layout_default_threads "$cores" "$LAYOUT_WORKERS")}
  [[ -z $LAYOUT_THREADS || $LAYOUT_THREADS =~ ^[1-9][0-9]*$ ]] \
    || die "SWEEP_TRAINER_THREADS must be a whole number of at least 1 (got '$LAYOUT_THREADS')"
  if (( ${LAYOUT_THREADS:-0} * LAYOUT_WORKERS > cores )); then
    warn "$LAYOUT_WORKERS worker(s) × $LAYOUT_THREADS trainer thread(s) is more than this host's $cores core(s); trainers will share cores"
  fi
}

# layout_worker_name INDEX COUNT: Worker__Name of worker INDEX (1-based). One
# worker keeps the given name (or the worker's own default, host:pid); several
# get stable, distinct names, so their rows and pauses survive a restart.
layout_worker_name() {
  local index=$1 count=$2 base=${Worker__Name:-}
  if (( count == 1 )); then
    printf '%s' "$base"
  else
    printf '%s-%d' "${base:-$(hostname -s 2>/dev/null || hostname)}" "$index"
  fi
}
