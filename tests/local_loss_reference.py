"""Reference local loss in PyTorch, written from the papers (Nokland & Eidnes' predsim as used by
the Lego and block-wise papers), for comparison with legohar's C++ implementation.
Usage: local_loss_reference.py TENSORS.pt  -> prints the loss with alpha = 0.99."""
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
pred = F.cross_entropy(F.linear(h.flatten(1), t["pred_weight"], t["pred_bias"]), y)
onehot = F.one_hot(y, t["pred_weight"].shape[0]).float()
sim = F.mse_loss(similarity(F.conv2d(h, t["sim_weight"], padding=1)), similarity(onehot))
print(f"{(0.01 * pred + 0.99 * sim).item():.10f}")
