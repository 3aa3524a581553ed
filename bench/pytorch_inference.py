#!/usr/bin/python3
"""Inference speed of legohar's runtime, legohar's LibTorch path and PyTorch (eager, and traced
and frozen: BatchNorm folded) on the same architecture, measured in one run on this machine.

Runs `legohar bench --runtime --json` for the first two, rebuilds the model it describes (its
"spec") in PyTorch with random weights, and times it the same way: batch-1 latency as the median
of single-window calls, throughput on batches of 256. Prints one table with ratios to PyTorch.
The CNNs (baseline, Lego) are rebuilt here; the other families (ResNet, BiLSTM) are timed in
PyTorch through --export-from alone, the ratios then to the TorchScript export.
Python runs with the allocator settings legohar applies to itself (src/legohar/common/
allocator.h, here as GLIBC_TUNABLES): without them PyTorch page-faults through every batch-256
activation on every call and its throughput drops about 7x, which would flatter legohar.

With --export-from RUN (a trained run of the same architecture) it also times that model as
`legohar export` writes it for PyTorch: TorchScript with each Lego merge (gather, assembled) and
the lite-interpreter file, each loaded as PyTorch loads it and fed [N, T, C] windows.

  /usr/bin/python3 bench/pytorch_inference.py --legohar build/legohar --dataset uci-har \
      --model lego --o 4 --m 0.25 [--threads 1] [--singles 1000] [--batches 20] \
      [--export-from runs/lego] [--json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TUNABLES = ("glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=2147483647:"
            "glibc.malloc.top_pad=67108864")
if os.environ.get("GLIBC_TUNABLES") != TUNABLES:  # before torch allocates anything
    os.environ["GLIBC_TUNABLES"] = TUNABLES
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch
from torch import nn


class LegoConv(nn.Module):
    """A Lego convolution at inference: the input's o fragments convolved with k shared filters,
    then each output gathers one map per fragment (index_select) and scales it."""

    def __init__(self, c_in, n, d, stride, padding, o, k):
        super().__init__()
        self.o, self.stride, self.padding = o, stride, padding
        self.lego = nn.Parameter(torch.randn(k, c_in // o, d, 1) * 0.1)
        self.register_buffer("index", torch.randint(0, k, (o, n)))
        self.coef = nn.Parameter(torch.randn(o, n))
        self.bias = nn.Parameter(torch.randn(n))

    def forward(self, x):  # [N, C, H, W]
        n_, c, h, w = x.shape
        maps = nn.functional.conv2d(x.reshape(n_ * self.o, c // self.o, h, w), self.lego,
                                    stride=(self.stride, 1), padding=(self.padding, self.padding))
        maps = maps.reshape(n_, self.o, maps.shape[1], maps.shape[2], maps.shape[3])
        y = maps[:, 0].index_select(1, self.index[0]) * self.coef[0].view(1, -1, 1, 1)
        for i in range(1, self.o):
            y = y + maps[:, i].index_select(1, self.index[i]) * self.coef[i].view(1, -1, 1, 1)
        return y + self.bias.view(1, -1, 1, 1)


def build(spec):
    layers, c_in = [], 1
    for i, l in enumerate(spec["layers"]):
        n, d, s, p = l["channels"], l["kernel"], l["stride"], l["padding"]
        if spec["model"] == "lego" and i > 0:
            k = max(1, int(spec["m"] * n + 0.5))  # std::round, as legohar
            conv = LegoConv(c_in, n, d, s, p, spec["o"], k)
        else:
            conv = nn.Conv2d(c_in, n, (d, 1), stride=(s, 1), padding=(p, p))
        layers += [conv, nn.BatchNorm2d(n), nn.ReLU()]
        c_in = n
    features = nn.Sequential(*layers)
    with torch.no_grad():
        flat = features(torch.zeros(1, 1, spec["input_length"], spec["input_channels"])).numel()
    return nn.Sequential(features, nn.Flatten(), nn.Linear(flat, spec["classes"])).eval()


def timed(model, x, singles, batches):
    with torch.no_grad():
        one = [x[i % len(x)].unsqueeze(0) for i in range(singles)]
        model(one[0])
        t = []
        for w in one:
            t0 = time.perf_counter()
            model(w)
            t.append(time.perf_counter() - t0)
        model(x)
        b = []
        for _ in range(batches):
            t0 = time.perf_counter()
            model(x)
            b.append(time.perf_counter() - t0)
    return {"single_window_ms": 1000 * statistics.median(t),
            "windows_per_s": len(x) / statistics.median(b)}


def exported(legohar, run, model_label):
    """legohar's exports of `run` for PyTorch, loaded: {name: module taking [N, T, C]}."""
    from torch.jit.mobile import _load_for_lite_interpreter
    out, extra = {}, {"legohar.json": ""}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fmt, merge in (("export_pt_gather", "torchscript", "gather"),
                                 ("export_pt_assembled", "torchscript", "assembled"),
                                 ("export_ptl_gather", "ptl", "gather")):
            path = os.path.join(tmp, name)
            subprocess.run([legohar, "export", "--checkpoint", run, "--format", fmt,
                            "--lego-merge", merge, "--out", path], check=True,
                           capture_output=True)
            out[name] = (_load_for_lite_interpreter(path) if fmt == "ptl"
                         else torch.jit.load(path, _extra_files=extra))
    label = json.loads(extra["legohar.json"])["model"]  # read by torch.jit.load
    if label != model_label:
        sys.exit(f"--export-from {run} holds {label}, not the benchmarked {model_label}")
    return out


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--legohar", default="build/legohar")
    a.add_argument("--dataset", default="uci-har")
    a.add_argument("--model", default="baseline")
    a.add_argument("--o", type=int)
    a.add_argument("--m", type=float)
    a.add_argument("--threads", type=int, default=1)
    a.add_argument("--singles", type=int, default=1000)
    a.add_argument("--batches", type=int, default=20)
    a.add_argument("--export-from", metavar="RUN")
    a.add_argument("--json", action="store_true")
    args = a.parse_args()
    cmd = [args.legohar, "bench", "--dataset", args.dataset, "--model", args.model, "--runtime",
           "--json", "--threads", str(args.threads), "--singles", str(args.singles),
           "--batches", str(args.batches)]
    if args.o is not None:
        cmd += ["--o", str(args.o)]
    if args.m is not None:
        cmd += ["--m", str(args.m)]
    legohar = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    spec = legohar["spec"]
    x = torch.randn(256, 1, spec["input_length"], spec["input_channels"])
    result = {"model": legohar["model"], "dataset": legohar["dataset"], "threads": args.threads,
              "torch": torch.__version__,
              "legohar_runtime": legohar["runtime"], "legohar_libtorch": legohar["libtorch"]}
    engines = ["legohar_runtime", "legohar_libtorch"]
    if spec["model"] in ("baseline", "lego"):
        model = build(spec)
        with torch.no_grad():
            traced = torch.jit.freeze(torch.jit.trace(model, x[:1]))
        result["pytorch_eager"] = timed(model, x, args.singles, args.batches)
        result["pytorch_traced"] = timed(traced, x, args.singles, args.batches)
        engines += ["pytorch_eager", "pytorch_traced"]
    elif not args.export_from:
        sys.exit(f"{spec['model']}: only the CNNs are rebuilt here; give --export-from RUN to "
                 "time legohar's TorchScript export of a trained run in PyTorch instead")
    if args.export_from:
        for name, module in exported(args.legohar, args.export_from, legohar["model"]).items():
            result[name] = timed(module, x.squeeze(1), args.singles, args.batches)
            engines.append(name)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    # The ratios' reference: PyTorch eager, or for the families rebuilt only through the
    # export, the TorchScript file in PyTorch.
    ref = "pytorch_eager" if "pytorch_eager" in result else "export_pt_gather"
    eager = result[ref]
    flops, peak = 2 * legohar["macs_per_window"], legohar["peak_gflops"] * args.threads
    runtime_flops = 2 * legohar["runtime_macs_per_window"]
    print(f"{result['model']} on {result['dataset']}, {args.threads} thread(s), torch "
          f"{torch.__version__}: batch-1 median of {args.singles}, throughput at batch 256 "
          f"(GFLOP/s: of {args.threads} x one thread's measured peak, {peak:.1f}); "
          f"{flops / 1e6:.1f} MFLOP per window, of which the runtime executes "
          f"{runtime_flops / 1e6:.1f}")
    label = "x " + ref.split("_")[1]
    print(f"{'engine':<20} {'ms/window':>10} {label:>8} {'windows/s':>10} {label:>8} "
          f"{'GFLOP/s':>8} {'of peak':>8}")
    for name in engines:
        r = result[name]
        gflops = (runtime_flops if name == "legohar_runtime" else flops) * r["windows_per_s"] / 1e9
        print(f"{name:<20} {r['single_window_ms']:>10.4f} "
              f"{r['single_window_ms'] / eager['single_window_ms']:>8.2f} "
              f"{r['windows_per_s']:>10.0f} {r['windows_per_s'] / eager['windows_per_s']:>8.2f} "
              f"{gflops:>8.1f} {100 * gflops / peak:>7.0f}%")


if __name__ == "__main__":
    main()
