"""Reference ResNet for HAR in PyTorch, written from the block-wise local-loss paper (section
III-A) and legohar's documented layout (src/legohar/spec/resnet_plan.h), for comparison with the
C++ module on the same weights and input.
Usage: resnet_reference.py IN.pt OUT.pt
IN holds x [N, 1, T, C], r [N, classes], layers [L, 4] (channels, kernel, stride, padding),
blocks, bottleneck (0/1), order (0 relu-before-add, 1 full-preact, 2 relu-preact) and the
parameters as "p.<name>". OUT receives logits and the gradients of sum(logits * r) with respect
to x ("grad.x") and every parameter ("grad.<name>"), BatchNorm in training mode."""
import sys

import torch
import torch.nn.functional as F

t = torch.load(sys.argv[1])
params = {k[2:]: v.clone().requires_grad_() for k, v in t.items() if k.startswith("p.")}
x = t["x"].clone().requires_grad_()
layers = t["layers"].tolist()
order = ["relu-before-add", "full-preact", "relu-preact"][int(t["order"])]


def bn(h, name):
    return F.batch_norm(h, None, None, params[name + ".weight"], params[name + ".bias"],
                        training=True, eps=1e-5)


def conv(h, name, stride, before, after, width):
    h = F.pad(h, (width, width, before, after))
    return F.conv2d(h, params[name + ".weight"], params[name + ".bias"], stride=(stride, 1))


h = x
for b in range(int(t["blocks"])):
    if b < len(layers):
        c, k, s, p = layers[b]
        strided = (s, p, p, p)
    else:  # beyond the dataset's layers: the last width, stride 1, "same" padding
        c, k = layers[-1][0], layers[-1][1]
        s, p = 1, (k - 1) // 2
        strided = (1, (k - 1) // 2, k // 2, 0)
    same = (1, (k - 1) // 2, k // 2, 0)
    if int(t["bottleneck"]):
        units = [(1, (1, 0, 0, 0)), (k, strided), (1, (1, 0, 0, 0))]
    else:
        units = [(k, strided), (k, same)]
    name = f"block{b + 1}"
    y = h
    for j, (_, (stride, before, after, width)) in enumerate(units):
        unit = f"{name}.conv{j + 1}"
        raw = b == 0 and j == 0
        if order == "relu-before-add":
            y = F.relu(bn(conv(y, unit, stride, before, after, width), f"{name}.bn{j + 1}"))
        elif order == "full-preact":
            if not raw:
                y = F.relu(bn(y, f"{name}.bn{j + 1}"))
            y = conv(y, unit, stride, before, after, width)
        else:
            if not raw:
                y = F.relu(y)
            y = bn(conv(y, unit, stride, before, after, width), f"{name}.bn{j + 1}")
    if y.shape == h.shape:
        h = h + y
        continue
    # Projection shortcut: output row t reads input row t * s + (k - 1) // 2 - padding (the centre
    # of its receptive field), zero outside the input; the sensor axis is zero-padded like the
    # branch's.
    rows = torch.arange(y.shape[2]) * s + (k - 1) // 2 - strided[1]
    inside = (rows >= 0) & (rows < h.shape[2])
    picked = h[:, :, rows.clamp(0, h.shape[2] - 1), :] * inside.view(1, 1, -1, 1)
    pad_w = (y.shape[3] - h.shape[3]) // 2
    picked = F.pad(picked, (pad_w, pad_w, 0, 0))
    short = F.conv2d(picked, params[f"{name}.shortcut.weight"], params[f"{name}.shortcut.bias"])
    h = bn(short, f"{name}.shortcut_bn") + y
logits = F.linear(h.flatten(1), params["fc.weight"], params["fc.bias"])
(logits * t["r"]).sum().backward()
out = {"logits": logits.detach(), "grad.x": x.grad}
for k, v in params.items():
    out["grad." + k] = v.grad
torch.save(out, sys.argv[2])
