#!/usr/bin/python3
"""Loads models that `legohar export --format torchscript|ptl` wrote, in PyTorch itself, and
compares their logits with LibTorch's on the same windows.

  /usr/bin/python3 scripts/check_pytorch_export.py MODEL REFERENCE [MODEL REFERENCE ...]

MODEL: a .pt file (torch.jit.load) or a .ptl file (PyTorch Mobile's lite interpreter,
torch.jit.mobile._load_for_lite_interpreter). REFERENCE: the file `legohar export --reference`
writes (a dict saved with torch's pickler: "x", windows [N, T, C] before standardisation;
"logits", LibTorch's [N, classes]; "absolute_bound" and "relative_bound", the export's rule of
src/legohar/deploy/logit_agreement.h). Prints one line per model; exits with status 1 when a model
fails to load, a logit differs from LibTorch's by more than absolute_bound + relative_bound x the
largest |logit| of its window, or any prediction differs.
"""
import json
import sys
import zipfile

import torch
from torch.jit.mobile import _get_model_bytecode_version, _load_for_lite_interpreter


def description(path):
    """The legohar.json extra file of a TorchScript or lite archive."""
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.endswith("/extra/legohar.json"))
        return json.loads(z.read(name))


def check(model_path, reference_path):
    ref = torch.load(reference_path)
    x, want = ref["x"], ref["logits"]
    if "absolute_bound" not in ref:
        raise ValueError(f"{reference_path} holds no bound: it was written by an older legohar; "
                         "export again with --reference")
    lite = model_path.endswith(".ptl")
    meta = description(model_path)
    if lite:
        model = _load_for_lite_interpreter(model_path)
        kind = f"lite interpreter, bytecode v{_get_model_bytecode_version(model_path)}"
    else:
        model = torch.jit.load(model_path)
        kind = "torch.jit.load"
        assert list(model.class_names) == meta["classes"]
    with torch.no_grad():  # in batches of 64: larger ones page-fault through glibc's mmap
        got = torch.cat([model(b) for b in x.split(64)])
        probabilities = (model.run_method("probabilities", x[:64]) if lite else
                         model.probabilities(x[:64]))
    difference = (got.double() - want.double()).abs()
    bound = (ref["absolute_bound"].item() +
             ref["relative_bound"].item() * want.double().abs().amax(1, keepdim=True))
    worst = difference.max().item()
    share = (difference / bound).max().item()
    same = (got.argmax(1) == want.argmax(1)).sum().item()
    sums = (probabilities - torch.softmax(want[:64], 1)).abs().max().item()
    print(f"{model_path}: {meta['model']} ({kind}), {len(x)} windows: max |logit - LibTorch's| "
          f"{worst:.2e} ({100 * share:.0f} % of the bound), {same}/{len(x)} identical predictions")
    return share <= 1 and same == len(x) and sums < 1e-5


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    ok = True
    for model_path, reference_path in zip(args[::2], args[1::2]):
        try:
            ok &= check(model_path, reference_path)
        except Exception as e:  # a file PyTorch cannot load is a failure, reported by name
            print(f"{model_path}: FAILED: {e}")
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
