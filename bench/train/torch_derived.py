#!/usr/bin/python3
"""PyTorch twin of trapnet's derived network for the training benchmark.

Builds the network from an ir graph directory (graph.json + weights.bin written
by `bench/train --dump DIR`), so it is exactly the network GoMLX trains: same
ops, shapes, SAME padding, batch norm in training mode, class-weighted cross
entropy and Adam. Times training steps on random data with --threads CPU
threads (or, with --device cuda, on the GPU, synchronising after the timed
steps) and prints one JSON line. With --check it instead compares its
inference output (batch-norm running statistics) on a fixed input against
the expected logits file, to prove the twin is the same network.
"""
import argparse, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F


def same_pad(n, k, s, d):
    out = (n + s - 1) // s
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


class IRNet(torch.nn.Module):
    def __init__(self, graph, weights):
        super().__init__()
        self.g = graph
        self.names = {}
        self.params = torch.nn.ParameterList()
        self.buffers_ = {}
        bn_stats = set()
        for n in graph["nodes"]:
            if n["op"] == "batchnorm":
                bn_stats.update(n["inputs"][3:5])
        for c in graph["consts"]:
            a = np.frombuffer(weights, dtype="<f4", count=c["length"] // 4, offset=c["offset"]).reshape(c["shape"])
            t = torch.tensor(a.copy())
            if c["name"] in bn_stats:
                self.buffers_[c["name"]] = t
            else:
                self.names[c["name"]] = len(self.params)
                self.params.append(torch.nn.Parameter(t))

    def const(self, name):
        if name in self.buffers_:
            return self.buffers_[name]
        return self.params[self.names[name]]

    def forward(self, image, meta):
        v = {}
        ins = self.g["inputs"]
        v[ins[0]["name"]] = image.permute(0, 3, 1, 2)  # NCHW inside
        if len(ins) > 1:
            v[ins[1]["name"]] = meta
        for n in self.g["nodes"]:
            op, a = n["op"], n.get("attrs", {})
            x = v[n["inputs"][0]]
            st = (a.get("strides") or [1, 1])[0] or 1
            dl = (a.get("dilations") or [1, 1])[0] or 1
            if op in ("conv2d", "depthwise_conv2d"):
                w = self.const(n["inputs"][1])
                k = w.shape[1]
                if a.get("padding", "SAME") == "SAME":
                    pb, pa = same_pad(x.shape[2], k, st, dl)
                    x = F.pad(x, (pb, pa, pb, pa))
                if op == "conv2d":
                    y = F.conv2d(x, w.permute(0, 3, 1, 2), stride=st, dilation=dl)
                else:
                    y = F.conv2d(x, w.permute(3, 0, 1, 2), stride=st, dilation=dl, groups=x.shape[1])
            elif op == "batchnorm":
                gm, bt, mu, var = (self.const(i) for i in n["inputs"][1:])
                y = F.batch_norm(x, mu, var, gm, bt, training=self.training, momentum=0.1, eps=a.get("eps", 1e-5))
            elif op == "relu":
                y = F.relu(x)
            elif op in ("max_pool", "avg_pool"):
                k = a["kernel"][0]
                pb, pa = same_pad(x.shape[2], k, st, 1)
                if op == "max_pool":
                    y = F.max_pool2d(F.pad(x, (pb, pa, pb, pa), value=-math.inf), k, st)
                else:
                    s = F.avg_pool2d(F.pad(x, (pb, pa, pb, pa)), k, st, divisor_override=1)
                    ones = F.pad(torch.ones_like(x[:1, :1]), (pb, pa, pb, pa))
                    y = s / F.avg_pool2d(ones, k, st, divisor_override=1)
            elif op == "global_mean":
                y = x.mean(dim=(2, 3))
            elif op in ("add", "mul"):
                b = v[n["inputs"][1]]
                y = x + b if op == "add" else x * b
            elif op == "concat":
                y = torch.cat([v[i] for i in n["inputs"]], dim=1)
            elif op == "fully_connected":
                y = F.linear(x, self.const(n["inputs"][1]), self.const(n["inputs"][2]))
            elif op == "sigmoid":
                y = torch.sigmoid(x)
            elif op == "reshape":  # [N, C] -> [N, 1, 1, C] is [N, C, 1, 1] in NCHW
                y = x.reshape(x.shape[0], -1, 1, 1)
            else:
                raise SystemExit("torch_derived: op %s not supported" % op)
            v[n["output"]] = y
        return v[self.g["outputs"][0]]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--graph", required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu or cuda (timing only; --check runs on the CPU)")
    p.add_argument("--cudnn-benchmark", action="store_true", help="torch.backends.cudnn.benchmark = True")
    p.add_argument("--check", help="expected logits JSON for --check-input")
    p.add_argument("--check-input", help="input JSON {image, meta, shape}")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    g = json.load(open(os.path.join(args.graph, "graph.json")))
    w = open(os.path.join(args.graph, "weights.bin"), "rb").read()
    net = IRNet(g, w)
    ish = g["inputs"][0]["shape"]
    d = g["inputs"][1]["shape"][1] if len(g["inputs"]) > 1 else 1
    if args.check:
        net.eval()
        inp = json.load(open(args.check_input))
        n = inp["n"]
        img = torch.tensor(inp["image"], dtype=torch.float32).reshape(n, ish[1], ish[2], 3)
        meta = torch.tensor(inp["meta"], dtype=torch.float32).reshape(n, d)
        got = net(img, meta).detach().numpy().ravel()
        want = np.array(json.load(open(args.check)), dtype=np.float32)
        err = float(np.max(np.abs(got - want)) / max(1.0, float(np.max(np.abs(want)))))
        print(json.dumps({"max_rel_err": err}))
        sys.exit(0 if err < 1e-3 else 1)
    net.eval()
    k = net(torch.zeros(1, ish[1], ish[2], 3), torch.zeros(1, d)).shape[1]
    dev = torch.device(args.device)
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    net.to(dev)
    for name in net.buffers_:
        net.buffers_[name] = net.buffers_[name].to(dev)
    net.train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(1)
    img = torch.randn(args.batch, ish[1], ish[2], 3, generator=gen).to(dev)
    meta = torch.randn(args.batch, d, generator=gen).to(dev)
    y = torch.randint(0, k, (args.batch,), generator=gen).to(dev)
    wts = torch.ones(k, device=dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(img, meta), y, weight=wts)
        loss.backward()
        opt.step()

    t = time.time()
    for _ in range(args.warmup):
        step()
    sync()
    first = time.time() - t
    t = time.time()
    for _ in range(args.steps):
        step()
    sync()
    sec = (time.time() - t) / args.steps
    print(json.dumps({"engine": "pytorch-%s" % torch.__version__, "device": args.device, "threads": args.threads,
                      "batch": args.batch, "s_per_step": sec, "images_per_sec": args.batch / sec, "warmup_s": first}))


if __name__ == "__main__":
    main()
