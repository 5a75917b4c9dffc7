#!/usr/bin/env python3
"""The load of ./sweep bench load: concurrent readers and writers against one web app, for a fixed time.

Readers cycle through three requests of the seeded 10,000-trial sweep: the heatmap read plainly, the heatmap
revalidated with the ETag of an earlier answer (If-None-Match; a 304 is a success), and a trials page. Writers
create 1-cell sweeps. Any answer but 2xx or 304, or a failed connection, is an error; the script exits 1 on any.
Standard library only, one keep-alive connection per thread, so that the figures are the server's, not a client's
connection set-up.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

KINDS = ("heatmap", "heatmap if-none-match", "trials page", "create sweep")


class Recorder:
    """Per kind, the latencies of successful requests and the errors (a status and a short reason)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = {k: [] for k in KINDS}
        self.statuses = {k: {} for k in KINDS}
        self.errors = {k: [] for k in KINDS}

    def record(self, kind, status, seconds, reason=""):
        with self.lock:
            self.statuses[kind][status] = self.statuses[kind].get(status, 0) + 1
            if 200 <= status < 300 or status == 304:
                self.times[kind].append(seconds)
            else:
                self.errors[kind].append(f"{status} {reason}"[:200])


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


class Client:
    def __init__(self, base, token):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body); reconnects once when a kept-alive connection was closed."""
        all_headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def timed(recorder, kind, call):
    start = time.perf_counter()
    try:
        status, headers, body = call()
    except Exception as error:  # a failed connection is an error of the kind, not a crash of the bench
        recorder.record(kind, 0, time.perf_counter() - start, repr(error))
        return None, None
    recorder.record(kind, status, time.perf_counter() - start, body[:120].decode("utf-8", "replace"))
    return status, headers


def reader(index, args, recorder, stop):
    client = Client(args.url, args.read_token)
    base = f"/api/v1/sweeps/{args.sweep}"
    heatmap = f"{base}/heatmap?x=batchSize&y=regimeMultiplier&metric=valAccuracy"
    trials = f"{base}/trials?limit=100&orderBy=valAccuracy&descending=true"
    etag = None
    n = index
    while not stop.is_set():
        kind = KINDS[n % 3]
        n += 1
        if kind == "heatmap":
            status, headers = timed(recorder, kind, lambda: client.request("GET", heatmap))
            if status == 200 and headers.get("ETag"):
                etag = headers["ETag"]
        elif kind == "heatmap if-none-match":
            extra = {"If-None-Match": etag} if etag else {}
            timed(recorder, kind, lambda: client.request("GET", heatmap, headers=extra))
        else:
            timed(recorder, kind, lambda: client.request("GET", trials))


def writer(index, args, recorder, stop):
    client = Client(args.url, args.write_token)
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({
            "name": f"bench-load-{index}-{n}-{uuid.uuid4().hex[:8]}",
            "dataset": "fashion-mnist",
            "model": "f1",
            "grid": {"batchSize": [128], "ghostBatchSize": [128], "regimeMultiplier": [1]},
            "training": {"epochs": 2, "lrDropEpochs": [], "seeds": [1], "trainSubset": 8192},
        })
        timed(recorder, "create sweep", lambda: client.request(
            "POST", "/api/v1/sweeps", body=body, headers={"Content-Type": "application/json"}))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sweep", required=True)
    parser.add_argument("--read-token", required=True)
    parser.add_argument("--write-token", required=True)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()

    recorder, stop = Recorder(), threading.Event()
    threads = [threading.Thread(target=reader, args=(i, args, recorder, stop)) for i in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(i, args, recorder, stop)) for i in range(args.writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start  # includes the requests in flight when the time ran out

    print(f"\n{args.readers} readers, {args.writers} writers, {elapsed:.1f} s")
    print("| kind | requests | requests/s | p50 | p95 | p99 | statuses | errors |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    total_errors = 0
    for kind in KINDS:
        times = sorted(recorder.times[kind])
        errors = len(recorder.errors[kind])
        total_errors += errors
        count = len(times) + errors
        statuses = " ".join(f"{s}×{c}" for s, c in sorted(recorder.statuses[kind].items()))
        print(f"| {kind} | {count} | {count / elapsed:.1f} | {percentile(times, 50) * 1000:.0f} ms"
              f" | {percentile(times, 95) * 1000:.0f} ms | {percentile(times, 99) * 1000:.0f} ms | {statuses} | {errors} |")
    for kind in KINDS:
        for error in recorder.errors[kind][:3]:
            print(f"error ({kind}): {error}", file=sys.stderr)
    if total_errors:
        print(f"bench load: {total_errors} errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
