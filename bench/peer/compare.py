#!/usr/bin/python3
"""`./sweep bench --peer`'s driver: Sweep's trainer against the PyTorch peer (bigbatch_f1.py), side by side.

Per configuration it runs the two in alternation, Sweep then PyTorch, PAIRS times, each run its own process with the
same thread count (set in the process and in OMP/OpenBLAS/MKL's variables). Each child prints one JSON line with its
samples/s; the driver reads the child's peak RSS from the kernel (wait4's ru_maxrss). It prints every run, then
per configuration the median samples/s of each side, the ratio Sweep / PyTorch of each pair as min / median / max,
and the median peak RSS of each side. Last, the BLAS alone: float32 matmul GFLOP/s at F1's shapes on both sides
(`Sweep.Jobs bench matmul`, `bigbatch_f1.py --matmul`). It exits 1 if any run failed, printed no figure, or ran
with other threads.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# (label, B, G, Sweep's ghost mode, the peer's ghost mode, timed steps)
CONFIGURATIONS = [
    ("B = 128, plain BN", 128, 128, "vectorized", "vectorized", 240),
    ("B = 4096, plain BN", 4096, 4096, "vectorized", "vectorized", 10),
    ("B = 4096, G = 128, vectorized", 4096, 128, "vectorized", "vectorized", 10),
    ("B = 4096, G = 128, accumulate vs chunk loop", 4096, 128, "accumulate", "chunk", 10),
]


def commands(args, batch, ghost, sweep_mode, peer_mode, steps):
    common = ["--batch", str(batch), "--ghost", str(ghost), "--threads", str(args.threads), "--steps", str(steps)]
    if args.data:
        common += ["--data", args.data]
    sweep = ["dotnet", args.jobs_dll, "bench", "step", *common, "--ghost-mode", sweep_mode]
    peer = [args.python, os.path.join(HERE, "bigbatch_f1.py"), *common, "--ghost-mode", peer_mode]
    return sweep, peer


# The OpenMP wait policy each side runs fastest with, measured on 2 cores (docs/benchmarks.md). The peer's OpenMP
# threads otherwise spin while OpenBLAS's own pthreads need the cores: PASSIVE doubles it at B = 128 and gives it
# 1.5x at B = 4096. Sweep's libtorch does its matmuls on the same OpenMP threads, and PASSIVE costs it 30-40 % at
# B = 128 (every small op wakes sleeping threads), so it keeps libgomp's default. None: the variable is unset.
# --sweep-wait-policy and --peer-wait-policy override them (docs/benchmarks.md measures both ways).
WAIT_POLICY = {"sweep": None, "peer": "PASSIVE"}


def child_env(threads, wait_policy):
    """The thread count in the process and in OpenMP's, OpenBLAS's and MKL's variables; the side's wait policy."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env.pop("OMP_WAIT_POLICY", None)
    if wait_policy:
        env["OMP_WAIT_POLICY"] = wait_policy
    return env


def run_child(command, threads, timeout_s, wait_policy):
    """Runs one child: (its JSON figure or None, its peak RSS in MiB, an error or None)."""
    env = child_env(threads, wait_policy)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=REPO)
        timer = threading.Timer(timeout_s, child.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    rss_mib = usage.ru_maxrss / 1024  # Linux reports KiB
    if child.returncode != 0:
        tail = (stderr.strip() or stdout.strip()).splitlines()[-3:]
        return None, rss_mib, f"exit {child.returncode}: {' | '.join(tail)}"
    figure = last_json_line(stdout)
    if figure is None or not is_positive(figure.get("samplesPerSecond")):
        return None, rss_mib, f"no samples/s in its output: {stdout.strip()[-200:]!r}"
    if figure.get("threads") != threads:
        return None, rss_mib, f"ran with {figure.get('threads')} threads, not {threads}"
    return figure, rss_mib, None


def last_json_line(text):
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def is_positive(value):
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def load():
    with open("/proc/loadavg") as f:
        return ", ".join(f.read().split()[:3])


def summary_row(label, pairs):
    sweep = [s["samplesPerSecond"] for s, _, p, _ in pairs]
    peer = [p["samplesPerSecond"] for s, _, p, _ in pairs]
    ratios = [s / p for s, p in zip(sweep, peer)]
    sweep_rss = statistics.median(r for _, r, _, _ in pairs)
    peer_rss = statistics.median(r for _, _, _, r in pairs)
    return (f"| {label} | {statistics.median(sweep):,.0f} | {statistics.median(peer):,.0f} | "
            f"{min(ratios):.2f}× / **{statistics.median(ratios):.2f}×** / {max(ratios):.2f}× | "
            f"{sweep_rss:,.0f} MiB | {peer_rss:,.0f} MiB |")


def run_json(command, threads, timeout_s, wait_policy, failures, what):
    """One child whose last JSON line is its answer; a failure is recorded and printed, and None returned."""
    env = child_env(threads, wait_policy)
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        failures.append(f"{what}: timed out after {timeout_s} s")
        return None
    figure = last_json_line(done.stdout) if done.returncode == 0 else None
    if figure is None or figure.get("threads") != threads or not all(is_positive(v) for v in figure.get("gflops", {}).values()):
        failures.append(f"{what}: exit {done.returncode}, output {(done.stdout + done.stderr).strip()[-200:]!r}")
        print(f"FAILED: {failures[-1]}", file=sys.stderr, flush=True)
        return None
    return figure


def matmul_table(args, failures):
    """The BLAS alone: float32 GFLOP/s at F1's shapes on both sides, 3 alternating runs each, medians."""
    sweep_cmd = ["dotnet", args.jobs_dll, "bench", "matmul", "--threads", str(args.threads)]
    peer_cmd = [args.python, os.path.join(HERE, "bigbatch_f1.py"), "--matmul", "--threads", str(args.threads)]
    runs = {"sweep": [], "peer": []}
    for attempt in range(3):
        for side, command in (("sweep", sweep_cmd), ("peer", peer_cmd)):
            figure = run_json(command, args.threads, args.timeout, WAIT_POLICY[side], failures, f"matmul, {side}, run {attempt + 1}")
            if figure:
                runs[side].append(figure["gflops"])
    if not runs["sweep"] or not runs["peer"]:
        return
    print("\nfloat32 matmul at F1's shapes (m×k×n, GFLOP/s, median of 3 alternating runs of each side):\n")
    print("| shape | Sweep (libtorch) | PyTorch peer | Sweep / PyTorch |")
    print("|---|---:|---:|---:|")
    for shape in runs["sweep"][0]:
        sweep = statistics.median(r[shape] for r in runs["sweep"])
        peer = statistics.median(r[shape] for r in runs["peer"] if shape in r)
        print(f"| {shape.replace('x', '×')} | {sweep:.1f} | {peer:.1f} | {sweep / peer:.2f}× |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs-dll", default=os.path.join(REPO, "src/Jobs/bin/Release/net10.0/Sweep.Jobs.dll"))
    parser.add_argument("--python", default="/usr/bin/python3", help="the python whose torch is the peer")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--data", default=None)
    parser.add_argument("--only", default=None, help="run only the configurations whose label contains this")
    parser.add_argument("--timeout", type=int, default=300, help="seconds one run may take")
    parser.add_argument("--matmul-only", action="store_true", help="only the matmul table")
    parser.add_argument("--sweep-wait-policy", default=None, help="OMP_WAIT_POLICY for Sweep (default: unset)")
    parser.add_argument("--peer-wait-policy", default="PASSIVE", help="OMP_WAIT_POLICY for the peer ('' unsets it)")
    args = parser.parse_args()
    WAIT_POLICY.update(sweep=args.sweep_wait_policy or None, peer=args.peer_wait_policy or None)

    configurations = [c for c in CONFIGURATIONS if not args.only or args.only in c[0]]
    if not configurations or args.pairs < 1:
        sys.exit("compare: nothing to run")
    failures, rows, frameworks = [], [], {}
    began = time.monotonic()
    print(f"load average before: {load()}; {args.pairs} pairs per configuration, {args.threads} threads each; "
          f"OMP_WAIT_POLICY: Sweep {WAIT_POLICY['sweep'] or 'unset'}, PyTorch {WAIT_POLICY['peer'] or 'unset'}", flush=True)
    print("| configuration | pair | Sweep samples/s | PyTorch samples/s | Sweep / PyTorch | peak RSS Sweep | peak RSS PyTorch |")
    print("|---|---:|---:|---:|---:|---:|---:|", flush=True)
    for label, batch, ghost, sweep_mode, peer_mode, steps in ([] if args.matmul_only else configurations):
        sweep_cmd, peer_cmd = commands(args, batch, ghost, sweep_mode, peer_mode, steps)
        pairs = []
        for pair in range(1, args.pairs + 1):
            sweep, sweep_rss, sweep_error = run_child(sweep_cmd, args.threads, args.timeout, WAIT_POLICY["sweep"])
            peer, peer_rss, peer_error = run_child(peer_cmd, args.threads, args.timeout, WAIT_POLICY["peer"])
            for side, error in (("Sweep", sweep_error), ("PyTorch", peer_error)):
                if error:
                    failures.append(f"{label}, pair {pair}, {side}: {error}")
                    print(f"FAILED: {failures[-1]}", file=sys.stderr, flush=True)
            if sweep and peer:
                frameworks.setdefault("Sweep", sweep.get("framework"))
                frameworks.setdefault("PyTorch peer", peer.get("framework"))
                pairs.append((sweep, sweep_rss, peer, peer_rss))
                print(f"| {label} | {pair} | {sweep['samplesPerSecond']:,.0f} | {peer['samplesPerSecond']:,.0f} | "
                      f"{sweep['samplesPerSecond'] / peer['samplesPerSecond']:.2f}× | {sweep_rss:,.0f} MiB | {peer_rss:,.0f} MiB |",
                      flush=True)
        if pairs:
            rows.append(summary_row(label, pairs))

    matmul_table(args, failures)
    print(f"\nload average after: {load()}; {time.monotonic() - began:.0f} s; " + "; ".join(f"{k}: {v}" for k, v in frameworks.items()))
    print(f"\nMedians over {args.pairs} pairs (Sweep then PyTorch, each run its own process, {args.threads} threads):\n")
    print("| configuration | Sweep samples/s | PyTorch samples/s | Sweep / PyTorch per pair (min / median / max) | peak RSS Sweep | peak RSS PyTorch |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    if failures:
        print(f"\ncompare: {len(failures)} run(s) failed or measured nothing:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
