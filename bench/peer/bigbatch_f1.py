#!/usr/bin/python3
"""The PyTorch peer of `./sweep bench --peer`: bigBatch's training loop (main_gbn.py) on F1 and Fashion-MNIST.

It follows the authors' code (eladhoffer/bigBatch, main_gbn.py and models/mnist_f1.py, commit 0c69f28):
  - F1: 784 -> 5 x [Linear 512, BatchNorm1d, ReLU] -> Linear 10, PyTorch's default initialization;
  - SGD, momentum 0.9, weight decay 1e-4, lr 0.1; clip_grad_norm at 5;
  - ghost BN as the authors do it (--ghost-mode chunk): the batch is split with chunk(B // G), each chunk goes
    forward and backward through plain BatchNorm1d, the gradients are divided by the number of chunks, clipped,
    and one optimizer step follows; per chunk the loss and top-1/top-5 accuracy are read back, as their loop does;
  - and, for a fair comparison with Sweep's vectorized ghost BN, a vectorized module (--ghost-mode vectorized)
    that normalizes a [B, C] batch as [B/G, G, C] with per-ghost-batch statistics in one pass, and folds the
    running statistics as B/G sequential EMA updates (what the chunk loop's BatchNorm1d does).
It reads the same Fashion-MNIST IDX files as Sweep (gzip or raw, in the same places) and normalizes them as Sweep
does, (x / 255 - 0.5) / 0.5. The one departure from main_gbn.py: the samples are held in one tensor and each step
takes its batch by index_select (as Sweep's trainer does), instead of a DataLoader with per-sample transforms,
so that both sides time the training step and not the input pipeline.

Timing mirrors `Sweep.Jobs bench step`: 2 epochs over a subset of N*B samples; the first warms up, the second is
timed. One JSON line on stdout. `--describe` prints the peer's versions, BLAS and threads instead;
`--parameters` prints F1's parameter shapes in order (a test compares them with Sweep's).
"""
import argparse
import ctypes
import ctypes.util
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATASET = "fashion-mnist"
FILES = {
    "images": "train-images-idx3-ubyte",
    "labels": "train-labels-idx1-ubyte",
}


def candidate_folders(configured):
    """Where Sweep's DatasetFiles looks, in its order."""
    folders = []
    if configured:
        folders += [configured, os.path.join(configured, DATASET)]
    cache = os.environ.get("SWEEP_DATA_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "sweep", "datasets")
    folders += [os.path.join(cache, DATASET), os.path.join("/usr/share/datasets", DATASET)]
    return folders


def locate(configured, base):
    for folder in candidate_folders(configured):
        for name in (base + ".gz", base):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                return path
    sys.exit(f"bigbatch_f1: {base}.gz not found in {', '.join(candidate_folders(configured))}")


def read_idx(path):
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        sys.exit(f"bigbatch_f1: {path} is not an IDX file of unsigned bytes")
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load_train(configured):
    images = read_idx(locate(configured, FILES["images"]))
    labels = read_idx(locate(configured, FILES["labels"]))
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float32))
    x = x.div_(255.0).sub_(0.5).div_(0.5)
    return x, torch.from_numpy(labels.astype(np.int64))


class GhostBatchNorm1d(nn.Module):
    """BatchNorm1d whose training statistics come from ghost batches of G samples, in one vectorized pass.

    layout "moments" is what a PyTorch user writes (Keras's virtual_batch_size does the same): view [B/G, G, C],
    per-ghost mean and variance, normalize. Layout "fused" is Sweep's trick in PyTorch: one F.batch_norm call on a
    [1, (B/G)*C, G] view, so that each ghost batch is a channel of the fused kernel.
    """

    def __init__(self, features, ghost, layout="moments", momentum=0.1, eps=1e-5):
        super().__init__()
        self.ghost, self.layout, self.momentum, self.eps = ghost, layout, momentum, eps
        self.weight = nn.Parameter(torch.ones(features))
        self.bias = nn.Parameter(torch.zeros(features))
        self.register_buffer("running_mean", torch.zeros(features))
        self.register_buffer("running_var", torch.ones(features))

    def forward(self, x):
        n, c = x.shape
        if not self.training or n <= self.ghost:
            return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                self.training, self.momentum, self.eps)
        if n % self.ghost:
            raise ValueError(f"a batch of {n} is not whole ghost batches of {self.ghost}")
        k = n // self.ghost
        return self._moments(x, k, c) if self.layout == "moments" else self._fused(x, k, c)

    def _moments(self, x, k, c):
        g = x.view(k, self.ghost, c)
        var, mean = torch.var_mean(g, dim=1, unbiased=False, keepdim=True)
        y = (g - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias
        with torch.no_grad():
            self._fold_running_stats(mean.view(k, c), var.view(k, c) * (self.ghost / (self.ghost - 1)))
        return y.view(k * self.ghost, c)

    def _fused(self, x, k, c):
        ghosts = x.view(k, self.ghost, c).permute(0, 2, 1).reshape(1, k * c, self.ghost)
        chunk_mean, chunk_var = self.running_mean.repeat(k), self.running_var.repeat(k)
        y = F.batch_norm(ghosts, chunk_mean, chunk_var, self.weight.repeat(k), self.bias.repeat(k),
                         True, self.momentum, self.eps)
        with torch.no_grad():
            # The kernel left (1-m) r + m s_j in chunk j's copy; s_j is read back from it.
            keep = 1 - self.momentum
            means = (chunk_mean.view(k, c) - keep * self.running_mean) / self.momentum
            variances = (chunk_var.view(k, c) - keep * self.running_var) / self.momentum
            self._fold_running_stats(means, variances)
        return y.view(k, c, self.ghost).permute(0, 2, 1).reshape(k * self.ghost, c)

    def _fold_running_stats(self, means, unbiased_variances):
        # k sequential EMA updates, as BatchNorm1d makes them in the chunk loop (and Sweep's Sequential policy):
        # r <- (1-m)^k r + sum_j (1-m)^(k-1-j) m s_j, with the unbiased variance, as BatchNorm1d keeps it.
        k, m = means.shape[0], self.momentum
        weights = m * (1 - m) ** torch.arange(k - 1, -1, -1, dtype=means.dtype).unsqueeze(1)
        self.running_mean.mul_((1 - m) ** k).add_((weights * means).sum(0))
        self.running_var.mul_((1 - m) ** k).add_((weights * unbiased_variances).sum(0))


def f1(norm):
    layers, width = [], 28 * 28
    for _ in range(5):
        layers += [nn.Linear(width, 512), norm(512), nn.ReLU(True)]
        width = 512
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(nn.Flatten(), *layers)


def accuracy(output, target, topk=(1,)):
    """bigBatch's utils.accuracy: precision@k in percent."""
    maxk = max(topk)
    _, pred = output.topk(maxk, 1, True, True)
    correct = pred.t().eq(target.view(1, -1).expand(maxk, target.shape[0]))
    return [correct[:k].reshape(-1).float().sum(0).mul_(100.0 / target.shape[0]) for k in topk]


class AverageMeter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, value, n):
        self.sum, self.count = self.sum + value * n, self.count + n


def train_epoch(model, optimizer, criterion, x, y, batch, chunks, generator):
    """One epoch of main_gbn.py's forward(training=True), over in-memory data; returns its samples and seconds."""
    losses, top1, top5 = AverageMeter(), AverageMeter(), AverageMeter()
    order = torch.randperm(x.shape[0], generator=generator)
    steps = x.shape[0] // batch
    start = time.perf_counter()
    for s in range(steps):
        index = order[s * batch:(s + 1) * batch]
        inputs, target = x.index_select(0, index), y.index_select(0, index)
        optimizer.zero_grad()
        mini_inputs, mini_targets = inputs.chunk(chunks), target.chunk(chunks)
        for mini_input, mini_target in zip(mini_inputs, mini_targets):
            output = model(mini_input)
            loss = criterion(output, mini_target)
            prec1, prec5 = accuracy(output.detach(), mini_target, topk=(1, 5))
            losses.update(loss.item(), mini_input.shape[0])
            top1.update(prec1.item(), mini_input.shape[0])
            top5.update(prec5.item(), mini_input.shape[0])
            loss.backward()
        if len(mini_inputs) > 1:
            for p in model.parameters():
                p.grad.div_(len(mini_inputs))
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
    seconds = time.perf_counter() - start
    if not np.isfinite(losses.sum):
        sys.exit("bigbatch_f1: the training loss became NaN or infinite")
    return steps * batch, seconds


def build(batch, ghost, mode, layout):
    if mode == "vectorized" and ghost < batch:
        return f1(lambda c: GhostBatchNorm1d(c, ghost, layout)), 1
    # plain BN, or the authors' chunk loop: B // G chunks through plain BatchNorm1d.
    return f1(nn.BatchNorm1d), (batch // ghost if mode == "chunk" else 1)


def openblas():
    """The OpenBLAS that the resolved libblas.so.3 loads, if it is one: its configuration and threads, or None."""
    for name in ("libopenblas.so.0", ctypes.util.find_library("openblas")):
        try:
            lib = ctypes.CDLL(name) if name else None
        except OSError:
            continue
        if lib is not None and hasattr(lib, "openblas_get_config"):
            lib.openblas_get_config.restype = ctypes.c_char_p
            return f"{lib.openblas_get_config().decode()}, {lib.openblas_get_num_threads()} threads"
    return None


# (m, k, n): F1's first and hidden layers' forward products at B = 4096 and B = 128. Keep in step with MatmulBench.cs.
MATMUL_SHAPES = [(4096, 784, 512), (4096, 512, 512), (128, 784, 512), (128, 512, 512)]


def matmul_rates(threads):
    """float32 GFLOP/s per shape: the median of 5 timed runs of about 0.2 s each after a warm-up."""
    torch.set_num_threads(threads)
    rates = {}
    for m, k, n in MATMUL_SHAPES:
        a, b = torch.randn(m, k), torch.randn(k, n)
        flops = 2.0 * m * k * n
        repeats = max(4, int(0.2 * 180e9 / flops))
        a @ b
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            for _ in range(repeats):
                a @ b
            runs.append(flops * repeats / (time.perf_counter() - began) / 1e9)
        rates[f"{m}x{k}x{n}"] = sorted(runs)[2]
    return rates


def describe(threads):
    torch.set_num_threads(threads)
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    config = torch.__config__.show()
    info = [line.strip() for line in config.splitlines() if "CPU capability" in line or "BLAS_INFO" in line]
    print(f"peer: PyTorch {torch.__version__} (python {sys.version.split()[0]}, numpy {np.__version__}), "
          f"{torch.get_num_threads()} intra-op threads, {torch.get_num_interop_threads()} inter-op")
    print(f"peer BLAS: libblas.so.3 -> {blas}; {openblas() or 'not OpenBLAS'}")
    for line in info:
        print("peer build: " + (line if len(line) < 160 else line.split(",")[0] + ", …"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--ghost", type=int, default=None, help="ghost batch size G (default: B, plain BN)")
    parser.add_argument("--ghost-mode", choices=["vectorized", "chunk"], default="vectorized")
    parser.add_argument("--gbn-layout", choices=["moments", "fused"], default="moments",
                        help="the vectorized module's layout (see GhostBatchNorm1d)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=8, help="timed steps (the warm-up epoch takes as many)")
    parser.add_argument("--data", default=None, help="a folder with the Fashion-MNIST files")
    parser.add_argument("--describe", action="store_true", help="print versions, BLAS and threads, then exit")
    parser.add_argument("--parameters", action="store_true", help="print F1's parameter shapes (JSON), then exit")
    parser.add_argument("--matmul", action="store_true", help="print float32 matmul GFLOP/s at F1's shapes (JSON), then exit")
    args = parser.parse_args()
    ghost = args.ghost or args.batch
    if args.describe:
        describe(args.threads)
        return
    if args.matmul:
        rates = matmul_rates(args.threads)
        print(json.dumps({"side": "peer", "framework": f"PyTorch {torch.__version__}", "threads": torch.get_num_threads(),
                          "gflops": rates}))
        return
    if args.parameters:
        print(json.dumps([list(p.shape) for p in f1(nn.BatchNorm1d).parameters()]))
        return
    if args.batch % ghost:
        sys.exit("bigbatch_f1: G must divide B (main_gbn.py's chunk(B // G) makes equal chunks then)")

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x_all, y_all = load_train(args.data)
    subset = torch.randperm(x_all.shape[0], generator=torch.Generator().manual_seed(0))[:args.steps * args.batch]
    x, y = x_all.index_select(0, subset), y_all.index_select(0, subset)
    del x_all, y_all
    model, chunks = build(args.batch, ghost, args.ghost_mode, args.gbn_layout)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    train_epoch(model, optimizer, criterion, x, y, args.batch, chunks, generator)  # warm-up
    samples, seconds = train_epoch(model, optimizer, criterion, x, y, args.batch, chunks, generator)
    print(json.dumps({
        "side": "peer",
        "framework": f"PyTorch {torch.__version__}",
        "batch": args.batch,
        "ghost": ghost,
        "ghostMode": args.ghost_mode if ghost < args.batch else "plain",
        "gbnLayout": args.gbn_layout if ghost < args.batch and args.ghost_mode == "vectorized" else None,
        "threads": torch.get_num_threads(),
        "steps": samples // args.batch,
        "samplesPerSecond": samples / seconds,
    }))


if __name__ == "__main__":
    main()
