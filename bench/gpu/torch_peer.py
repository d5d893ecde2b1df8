#!/usr/bin/env python3
"""PyTorch peer for the GPU benchmark: the same architectures as jcnn's default variants, timed at
batch 1 and 8, eager and replayed from a CUDA graph, on the lent H200 (no network there: torchvision
builds the models without weights; latency does not depend on the weight values).

Prints one JSON object per (net, batch, mode) line: {"peer": "torch", "net", "batch", "mode",
"p50_ms", "p99_ms", "runs"}. Timing per run: input copy host->device, forward, output copy
device->host, synchronize (the same work jcnn's end-to-end figure includes).
"""
import argparse, json, time, sys
import torch
import torch.nn as nn
import torchvision.models as tvm


def mobilenet_v1(width=1.0, classes=1000):
    # ARCHITECTURES.md: stem 3x3 s2 -> 32a, 13 depthwise-separable blocks, ReLU6, avgpool, fc.
    def c(v): return int(v * width)
    def cbr(i, o, s, g=1, k=3):
        return [nn.Conv2d(i, o, k, s, k // 2, groups=g, bias=False), nn.BatchNorm2d(o), nn.ReLU6(inplace=True)]
    cfg = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    layers, inp = cbr(3, c(32), 2), c(32)
    for out, s in cfg:
        layers += cbr(inp, inp, s, g=inp) + cbr(inp, c(out), 1, k=1)
        inp = c(out)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(inp, classes))


class ShuffleV1Unit(nn.Module):
    def __init__(self, cin, cout, g, stride, first_group=True):
        super().__init__()
        self.stride, self.g = stride, g
        mid = cout // 4
        out = cout - cin if stride == 2 else cout
        self.c1 = nn.Sequential(nn.Conv2d(cin, mid, 1, groups=g if first_group else 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(inplace=True))
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid))
        self.c2 = nn.Sequential(nn.Conv2d(mid, out, 1, groups=g, bias=False), nn.BatchNorm2d(out))
        self.pool = nn.AvgPool2d(3, 2, 1) if stride == 2 else None

    def forward(self, x):
        y = self.c1(x)
        n, c, h, w = y.shape
        y = y.view(n, self.g, c // self.g, h, w).transpose(1, 2).reshape(n, c, h, w)
        y = self.c2(self.dw(y))
        if self.stride == 2:
            return torch.relu(torch.cat([self.pool(x), y], 1))
        return torch.relu(x + y)


def shufflenet_v1(g=3, classes=1000):
    outs = {1: [144, 288, 576], 2: [200, 400, 800], 3: [240, 480, 960], 4: [272, 544, 1088], 8: [384, 768, 1536]}[g]
    layers = [nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    cin = 24
    for si, (cout, reps) in enumerate(zip(outs, [3, 7, 3])):
        layers.append(ShuffleV1Unit(cin, cout, g, 2, first_group=si > 0))
        layers += [ShuffleV1Unit(cout, cout, g, 1) for _ in range(reps)]
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes, bias=False))


NETS = {
    "densenet121": lambda: tvm.densenet121(),
    "resnext50_32x4d": lambda: tvm.resnext50_32x4d(),
    "squeezenet1_0": lambda: tvm.squeezenet1_0(),
    "squeezenet1_1": lambda: tvm.squeezenet1_1(),
    "mobilenet_v1": mobilenet_v1,
    "mobilenet_v2": lambda: tvm.mobilenet_v2(),
    "shufflenet_v1": shufflenet_v1,
    "shufflenet_v2_x1_0": lambda: tvm.shufflenet_v2_x1_0(),
}


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def time_net(name, batch, mode, runs, warmup, size):
    dev = torch.device("cuda")
    model = NETS[name]().eval().to(dev)
    host_in = torch.randn(batch, 3, size, size).pin_memory()
    host_out = torch.empty(batch, 1000).pin_memory()
    dev_in = torch.empty_like(host_in, device=dev)
    with torch.inference_mode():
        if mode == "graph":
            s = torch.cuda.Stream()
            s.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(s):
                for _ in range(3):
                    model(dev_in)
            torch.cuda.current_stream().wait_stream(s)
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g):
                dev_out = model(dev_in)
            step = lambda: g.replay()
        else:
            dev_out = None
            def step():
                nonlocal dev_out
                dev_out = model(dev_in)
        samples = []
        for i in range(warmup + runs):
            t0 = time.perf_counter()
            dev_in.copy_(host_in, non_blocking=True)
            step()
            host_out.copy_(dev_out, non_blocking=True)
            torch.cuda.synchronize()
            if i >= warmup:
                samples.append((time.perf_counter() - t0) * 1e3)
    return {"peer": "torch", "net": name, "batch": batch, "mode": mode, "size": size,
            "p50_ms": pct(samples, 0.5), "p99_ms": pct(samples, 0.99), "runs": runs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nets", default=",".join(NETS))
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--size", type=int, default=224)
    a = ap.parse_args()
    torch.backends.cudnn.benchmark = True
    print(f"# torch {torch.__version__} cuda {torch.version.cuda} device {torch.cuda.get_device_name()}", file=sys.stderr)
    for net in a.nets.split(","):
        for b in map(int, a.batches.split(",")):
            for mode in ("eager", "graph"):
                print(json.dumps(time_net(net, b, mode, a.runs, a.warmup, a.size)), flush=True)


if __name__ == "__main__":
    main()
