// Implementation of model.h.
#include "legohar/nn/model.h"

namespace legohar {

torch::Tensor HarModel::forward(torch::Tensor x) {
  for (size_t i = 0; i < num_blocks(); ++i) x = forward_block(i, x);  // block i's output
  return classify(x);                                                 // [N, classes]
}

bool HarModel::is_mask(const torch::Tensor& p) const {
  for (const auto& l : legos_)
    if (p.is_same(l->logits)) return true;
  return false;
}

std::vector<torch::Tensor> HarModel::weight_parameters(const torch::nn::Module& module) const {
  std::vector<torch::Tensor> out;
  for (const torch::Tensor& p : module.parameters())
    if (!is_mask(p)) out.push_back(p);
  return out;
}

std::vector<torch::Tensor> HarModel::mask_parameters(const torch::nn::Module& module) const {
  std::vector<torch::Tensor> out;
  for (const torch::Tensor& p : module.parameters())
    if (is_mask(p)) out.push_back(p);
  return out;
}

void HarModel::freeze_masks() {
  for (torch::Tensor& p : mask_parameters()) {
    p.set_requires_grad(false);
    p.mutable_grad() = torch::Tensor();
  }
}

LegoConv2dOptions lego_conv_options(const ModelSpec& spec, int64_t in, int64_t out, int64_t kernel,
                                    int64_t lego_filters) {
  return LegoConv2dOptions(in, out, kernel)
      .fragments(spec.o)
      .lego_filters(lego_filters)
      .mask_init_std(spec.mask_init_std)
      .candidate_coefficients(spec.coefficients == "per-candidate");
}

std::vector<int64_t> HarModel::selections() const {
  std::vector<int64_t> out;
  for (const auto& l : legos_) {
    const torch::Tensor s = l->selection().cpu().contiguous();
    out.insert(out.end(), s.data_ptr<int64_t>(), s.data_ptr<int64_t>() + s.numel());
  }
  return out;
}

}  // namespace legohar
