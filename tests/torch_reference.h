// PyTorch references for model tests: a checked-in script under tests/ computes, with
// /usr/bin/python3, the forward pass and gradients of a module from the same weights and input,
// and the test compares them with LibTorch's.
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "test_support.h"

namespace legohar::test {

// Whether /usr/bin/python3 can import torch.
inline bool python_torch_available() {
  return std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") == 0;
}

// Moves every BatchNorm affine parameter (named "bn...") of `net` off its 1 / 0 start, so that its
// gradient matters in a comparison.
inline void perturb_batchnorm(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (auto& p : net.named_parameters())
    if (p.key().find("bn") != std::string::npos) p.value().uniform_(0.5, 1.5);
}

// Runs tests/<script> IN.pt OUT.pt with `inputs` saved as IN.pt; returns what it saved as OUT.pt.
inline c10::impl::GenericDict python_reference(
    const std::string& script, const c10::Dict<std::string, torch::Tensor>& inputs) {
  ScratchDir dir;
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(inputs));
  std::ofstream(dir.path() / "in.pt", std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const std::string cmd = "/usr/bin/python3 " LEGOHAR_SOURCE_DIR "/tests/" + script + " " +
                          (dir.path() / "in.pt").string() + " " + (dir.path() / "out.pt").string();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error(cmd + " failed");
  std::ifstream in(dir.path() / "out.pt", std::ios::binary);
  const std::vector<char> out((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  return torch::pickle_load(out).toGenericDict();
}

// The logits, the input's gradient and every named parameter's gradient of `net` (after
// backward) against the reference's "logits", "grad.x" and "grad.<name>", in double precision.
inline void expect_matches_reference(const torch::nn::Module& net, const torch::Tensor& x,
                                     const torch::Tensor& logits,
                                     const c10::impl::GenericDict& reference) {
  auto ref = [&](const std::string& key) { return reference.at(key).toTensor(); };
  EXPECT_TRUE(torch::allclose(logits.detach(), ref("logits"), 1e-9, 1e-10));
  EXPECT_TRUE(torch::allclose(x.grad(), ref("grad.x"), 1e-9, 1e-10));
  for (const auto& p : net.named_parameters())
    EXPECT_TRUE(torch::allclose(p.value().grad(), ref("grad." + p.key()), 1e-9, 1e-10)) << p.key();
}

}  // namespace legohar::test
