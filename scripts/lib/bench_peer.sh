# shellcheck shell=bash
# bench_peer: Sweep's trainer against PyTorch running the authors' training loop
# (docs/benchmarks.md, "Against PyTorch (the authors' loop)"). `./sweep bench --peer`
# runs only this. A benchmark: it prints figures, and fails (non-zero) when any run
# failed or printed no figure.
#
# The peer is Debian's PyTorch (python3-torch) with OpenBLAS (libopenblas0-pthread)
# as libblas.so.3, run by /usr/bin/python3 (the interpreter those packages install
# into, whatever python3 is first on PATH). bench/peer/bigbatch_f1.py is bigBatch's
# main_gbn.py loop on F1; `Sweep.Jobs bench step` is Sweep's real trainer on the same
# configuration; bench/peer/compare.py runs them in alternation and prints the table.
#
# What it expects: common.sh sourced (log, die, apt_install, ensure_dotnet,
# ensure_dataset), and ./sweep's JOBS_DIR, JOBS_DLL. BENCH_PEER_PAIRS sets the pairs
# per configuration (default 5), BENCH_PEER_THREADS the threads of both sides
# (default: the number of cores). About 6 minutes on 2 cores.

BENCH_PEER_PYTHON=/usr/bin/python3
BENCH_PEER_PACKAGES=(python3-torch python3-numpy libopenblas0-pthread)

bench_peer() {
  local pairs=${BENCH_PEER_PAIRS:-5} threads=${BENCH_PEER_THREADS:-$(nproc)}
  if ! is_uint "$pairs" || ((10#$pairs == 0)); then die "BENCH_PEER_PAIRS must be a positive whole number"; fi
  if ! is_uint "$threads" || ((10#$threads == 0)); then die "BENCH_PEER_THREADS must be a positive whole number"; fi
  ensure_dotnet
  ensure_dataset
  bench_peer_ensure_packages
  log "dotnet build src/Jobs -c Release"
  run_child dotnet build "$JOBS_DIR/Sweep.Jobs.csproj" -c Release -nologo -v quiet || die "build failed"

  log "peer setup"
  "$BENCH_PEER_PYTHON" "$REPO_ROOT/bench/peer/bigbatch_f1.py" --describe --threads "$threads" \
    || die "the peer's PyTorch does not start"
  log "Sweep vs PyTorch, $pairs pairs per configuration, $threads threads each"
  run_child "$BENCH_PEER_PYTHON" "$REPO_ROOT/bench/peer/compare.py" --jobs-dll "$JOBS_DLL" \
    --python "$BENCH_PEER_PYTHON" --pairs "$pairs" --threads "$threads" \
    || die "the comparison failed or measured nothing (see above)"
}

# The packages are checked with dpkg rather than by importing torch: a half-installed
# python3-torch imports, but the BLAS alternative may still point elsewhere.
bench_peer_ensure_packages() {
  local missing=() p
  for p in "${BENCH_PEER_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
  [[ -x $BENCH_PEER_PYTHON ]] || die "$BENCH_PEER_PYTHON is missing (python3-torch installs into it)"
}
