"""Reference residual bidirectional LSTM in PyTorch, written from the residual-bilstm readme and
legohar's documented layout (src/legohar/nn/bilstm.h), for comparison with the C++ module on the
same weights and input.
Usage: bilstm_reference.py IN.pt OUT.pt
IN holds x [N, 1, T, C], r [N, classes], layers, hidden, residual, bidirectional, mean (readout)
and the parameters as "p.<name>". The LSTM is written out from PyTorch's documented equations. OUT receives logits and the gradients of sum(logits * r) with
respect to x ("grad.x") and every parameter ("grad.<name>"); BatchNorm in training mode, no
dropout."""
import sys

import torch
import torch.nn.functional as F

t = torch.load(sys.argv[1])
params = {k[2:]: v.clone().requires_grad_() for k, v in t.items() if k.startswith("p.")}
x = t["x"].clone().requires_grad_()
d = int(t["hidden"])
bidirectional = bool(int(t["bidirectional"]))


def lstm_direction(seq, prefix, suffix):
    """PyTorch's documented LSTM equations over [N, T, in] (gate order i, f, g, o)."""
    w_ih, w_hh = params[f"{prefix}.weight_ih_l0{suffix}"], params[f"{prefix}.weight_hh_l0{suffix}"]
    b = params[f"{prefix}.bias_ih_l0{suffix}"] + params[f"{prefix}.bias_hh_l0{suffix}"]
    n, steps = seq.shape[0], seq.shape[1]
    h = seq.new_zeros(n, w_hh.shape[1])
    c = seq.new_zeros(n, w_hh.shape[1])
    out = []
    for step in range(steps):
        i, f, g, o = (seq[:, step] @ w_ih.t() + h @ w_hh.t() + b).chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        out.append(h)
    return torch.stack(out, dim=1)


def lstm(seq, prefix):
    """A (bidirectional) LSTM with legohar's weights: [N, T, d] -> [N, T, d or 2d]."""
    forward = lstm_direction(seq, f"{prefix}.lstm", "")
    if not bidirectional:
        return forward
    backward = lstm_direction(seq.flip(1), f"{prefix}.lstm", "_reverse").flip(1)
    return torch.cat([forward, backward], dim=2)


h = x.squeeze(1)  # [N, T, C]
for b in range(int(t["layers"])):
    name = f"block{b + 1}"
    if b == 0:
        seq = F.relu(F.linear(h, params[f"{name}.dense_in.weight"], params[f"{name}.dense_in.bias"]))
    else:
        seq = h
    y = lstm(seq, name)
    if bidirectional:  # both directions concatenated, reduced to d by a ReLU layer
        y = F.relu(F.linear(y, params[f"{name}.merge.weight"], params[f"{name}.merge.bias"]))
    if int(t["residual"]):
        y = y + seq
    # BatchNorm over the d features of every (sample, time step).
    y = F.batch_norm(y.transpose(1, 2), None, None, params[f"{name}.bn.weight"],
                     params[f"{name}.bn.bias"], training=True, eps=1e-5).transpose(1, 2)
    h = y  # [N, T, d]
features = h.mean(1) if int(t["mean"]) else h[:, -1, :]
logits = F.linear(features, params["fc.weight"], params["fc.bias"])
(logits * t["r"]).sum().backward()
out = {"logits": logits.detach(), "grad.x": x.grad}
for k, v in params.items():
    out["grad." + k] = v.grad
torch.save(out, sys.argv[2])
