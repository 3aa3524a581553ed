"""Reference local loss in PyTorch, written from the papers (Nokland & Eidnes' predsim as used by
the Lego and block-wise papers), for comparison with legohar's C++ implementation.
Usage: local_loss_reference.py TENSORS.pt  -> prints the loss with alpha = 0.99.
Optional entries: pred_features (pool the local classifier's input, halving the larger side,
rounding up, until C*h*w <= pred_features) and sim_pool (average-pool to ceil(H/k) x ceil(W/k)
before the similarity convolution)."""
import math
import sys

import torch
import torch.nn.functional as F


def similarity(x):
    if x.dim() == 4:
        x = x.view(x.size(0), x.size(1), -1).std(dim=2)
    xc = x - x.mean(dim=1, keepdim=True)
    xn = xc / (1e-8 + torch.sqrt(torch.sum(xc ** 2, dim=1, keepdim=True)))
    return xn @ xn.t()


t = torch.load(sys.argv[1])
h, y = t["h"], t["y"]
_, c, height, width = h.shape
pred_in = h
if "pred_features" in t:
    limit, ph, pw = int(t["pred_features"]), height, width
    while c * ph * pw > limit and (ph > 1 or pw > 1):
        if ph >= pw:
            ph = (ph + 1) // 2
        else:
            pw = (pw + 1) // 2
    pred_in = F.adaptive_avg_pool2d(h, (ph, pw))
sim_in = h
if "sim_pool" in t:
    k = int(t["sim_pool"])
    sim_in = F.adaptive_avg_pool2d(h, (math.ceil(height / k), math.ceil(width / k)))
pred = F.cross_entropy(F.linear(pred_in.flatten(1), t["pred_weight"], t["pred_bias"]), y)
onehot = F.one_hot(y, t["pred_weight"].shape[0]).float()
sim = F.mse_loss(similarity(F.conv2d(sim_in, t["sim_weight"], padding=1)), similarity(onehot))
print(f"{(0.01 * pred + 0.99 * sim).item():.10f}")
