#!/usr/bin/python3
"""PyTorch twin of the trapnet search supernet, for timing one search pair
step (architecture Adam step on a val batch + weight SGD step on a train
batch, first order) on the CPU (or, with --device cuda, the GPU) with the
same shapes as bench/search/main.go.
Follows quark0/darts cnn/ (operations.py, model_search.py, architect.py) plus
conv_1x1, squeeze_excite and the metadata branch + concat fusion head.
Prints one JSON line."""
import argparse, json, resource, time
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS_NAMES = ["zero", "skip_connect", "avg_pool_3x3", "max_pool_3x3", "sep_conv_3x3", "sep_conv_5x5",
             "dil_conv_3x3", "dil_conv_5x5", "conv_1x1", "squeeze_excite"]


class ReLUConvBN(nn.Sequential):
    def __init__(self, ci, co, k, s, p, affine):
        super().__init__(nn.ReLU(), nn.Conv2d(ci, co, k, s, p, bias=False), nn.BatchNorm2d(co, affine=affine))


class DilConv(nn.Sequential):
    def __init__(self, c, k, s, p, d, affine):
        super().__init__(nn.ReLU(), nn.Conv2d(c, c, k, s, p, dilation=d, groups=c, bias=False),
                         nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=affine))


class SepConv(nn.Sequential):
    def __init__(self, c, k, s, p, affine):
        super().__init__(DilConv(c, k, s, p, 1, affine), DilConv(c, k, 1, p, 1, affine))


class Zero(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s

    def forward(self, x):
        return x[:, :, ::self.s, ::self.s].mul(0.)


class FactorizedReduce(nn.Module):
    def __init__(self, ci, co, affine):
        super().__init__()
        self.c1 = nn.Conv2d(ci, co // 2, 1, 2, bias=False)
        self.c2 = nn.Conv2d(ci, co // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(co, affine=affine)

    def forward(self, x):
        x = F.relu(x)
        return self.bn(torch.cat([self.c1(x), self.c2(x[:, :, 1:, 1:])], 1))


class SE(nn.Module):
    def __init__(self, c, s, affine):
        super().__init__()
        self.red = FactorizedReduce(c, c, affine) if s == 2 else nn.Identity()
        h = max(c // 4, 1)
        self.fc1, self.fc2 = nn.Linear(c, h), nn.Linear(h, c)

    def forward(self, x):
        x = self.red(x)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean((2, 3))))))
        return x * s[:, :, None, None]


OPS = {
    "zero": lambda c, s, a: Zero(s),
    "skip_connect": lambda c, s, a: nn.Identity() if s == 1 else FactorizedReduce(c, c, a),
    "avg_pool_3x3": lambda c, s, a: nn.AvgPool2d(3, s, 1, count_include_pad=False),
    "max_pool_3x3": lambda c, s, a: nn.MaxPool2d(3, s, 1),
    "sep_conv_3x3": lambda c, s, a: SepConv(c, 3, s, 1, a),
    "sep_conv_5x5": lambda c, s, a: SepConv(c, 5, s, 2, a),
    "dil_conv_3x3": lambda c, s, a: DilConv(c, 3, s, 2, 2, a),
    "dil_conv_5x5": lambda c, s, a: DilConv(c, 5, s, 4, 2, a),
    "conv_1x1": lambda c, s, a: ReLUConvBN(c, c, 1, s, 0, a),
    "squeeze_excite": lambda c, s, a: SE(c, s, a),
}


class MixedOp(nn.Module):
    def __init__(self, c, s):
        super().__init__()
        self.ops = nn.ModuleList()
        for name in OPS_NAMES:
            op = OPS[name](c, s, False)
            if "pool" in name:
                op = nn.Sequential(op, nn.BatchNorm2d(c, affine=False))
            self.ops.append(op)

    def forward(self, x, w):
        return sum(wi * op(x) for wi, op in zip(w, self.ops))


class Cell(nn.Module):
    def __init__(self, steps, cpp, cp, c, red, red_prev):
        super().__init__()
        self.red, self.steps = red, steps
        self.pre0 = FactorizedReduce(cpp, c, False) if red_prev else ReLUConvBN(cpp, c, 1, 1, 0, False)
        self.pre1 = ReLUConvBN(cp, c, 1, 1, 0, False)
        self.ops = nn.ModuleList(MixedOp(c, 2 if red and j < 2 else 1) for i in range(steps) for j in range(2 + i))

    def forward(self, s0, s1, w):
        states, off = [self.pre0(s0), self.pre1(s1)], 0
        for i in range(self.steps):
            s = sum(self.ops[off + j](h, w[off + j]) for j, h in enumerate(states))
            off += len(states)
            states.append(s)
        return torch.cat(states[-self.steps:], 1)


class Network(nn.Module):
    def __init__(self, c, k, layers, steps, meta_dim, meta_hidden=32, fusion_hidden=128):
        super().__init__()
        cc = 3 * c
        self.stem = nn.Sequential(nn.Conv2d(3, cc, 3, padding=1, bias=False), nn.BatchNorm2d(cc))
        cpp, cp, cc = cc, cc, c
        self.cells, red_prev = nn.ModuleList(), False
        for i in range(layers):
            red = layers >= 3 and i in (layers // 3, 2 * layers // 3)
            if red:
                cc *= 2
            self.cells.append(Cell(steps, cpp, cp, cc, red, red_prev))
            red_prev, cpp, cp = red, cp, steps * cc
        self.meta = nn.Sequential(nn.Linear(meta_dim, meta_hidden), nn.ReLU(), nn.Linear(meta_hidden, meta_hidden), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(cp + meta_hidden, fusion_hidden), nn.ReLU(), nn.Linear(fusion_hidden, k))
        e = sum(2 + i for i in range(steps))
        self.alphas_normal = nn.Parameter(1e-3 * torch.randn(e, len(OPS_NAMES)))
        self.alphas_reduce = nn.Parameter(1e-3 * torch.randn(e, len(OPS_NAMES)))

    def weights(self):
        return [p for n, p in self.named_parameters() if not n.startswith("alphas")]

    def forward(self, x, m):
        s0 = s1 = self.stem(x)
        wn, wr = F.softmax(self.alphas_normal, -1), F.softmax(self.alphas_reduce, -1)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, wr if cell.red else wn)
        emb = s1.mean((2, 3))
        return self.head(torch.cat([emb, self.meta(m)], 1))


def main():
    ap = argparse.ArgumentParser()
    for k, v in dict(size=32, channels=8, cells=3, nodes=2, batch=32, classes=10, meta=16, steps=3, warmup=1, threads=2).items():
        ap.add_argument("--" + k, type=int, default=v)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (eager; timings synchronise every step)")
    ap.add_argument("--cudnn-benchmark", action="store_true", help="torch.backends.cudnn.benchmark = True")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.backends.cudnn.benchmark = a.cudnn_benchmark
    torch.manual_seed(1)
    dev = torch.device(a.device)
    net = Network(a.channels, a.classes, a.cells, a.nodes, a.meta).to(dev)
    wopt = torch.optim.SGD(net.weights(), 0.025, momentum=0.9, weight_decay=3e-4)
    aopt = torch.optim.Adam([net.alphas_normal, net.alphas_reduce], 3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
    mk = lambda: (torch.randn(a.batch, 3, a.size, a.size), torch.randn(a.batch, a.meta), torch.randint(0, a.classes, (a.batch,)))
    tr, va = [t.to(dev) for t in mk()], [t.to(dev) for t in mk()]

    def pair():
        aopt.zero_grad()
        F.cross_entropy(net(va[0], va[1]), va[2]).backward()
        aopt.step()
        wopt.zero_grad()
        loss = F.cross_entropy(net(tr[0], tr[1]), tr[2])
        loss.backward()
        nn.utils.clip_grad_norm_(net.weights(), 5)
        wopt.step()
        return loss.item()

    t0 = time.time()
    for _ in range(a.warmup):
        pair()  # loss.item() waits for the device
    first = time.time() - t0
    t0, c0 = time.time(), time.process_time()
    for _ in range(a.steps):
        loss = pair()
    per = (time.time() - t0) / a.steps
    cpu = (time.process_time() - c0) / a.steps
    out = dict(impl="pytorch", torch=torch.__version__, device=a.device, threads=a.threads, size=a.size, channels=a.channels,
               cells=a.cells, nodes=a.nodes, batch=a.batch, s_per_pair=per, cpu_s_per_pair=cpu, first_steps_s=first,
               train_loss=loss, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if dev.type == "cuda":
        out.update(gpu=torch.cuda.get_device_name(dev), cudnn_benchmark=a.cudnn_benchmark,
                   peak_gpu_mb=torch.cuda.max_memory_allocated(dev) / 2**20)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
