// The one precompiled header shared by every translation unit that uses LibTorch.
#pragma once
#include <torch/torch.h>
