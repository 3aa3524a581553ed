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
      .candidate_coefficients(spec.coefficients == "per-candidate")
      .he_init(spec.lego_init == "he");
}

std::vector<int64_t> HarModel::selections() const {
  std::vector<int64_t> out;
  for (const auto& l : legos_) {
    const torch::Tensor s = l->selection().cpu().contiguous();
    out.insert(out.end(), s.data_ptr<int64_t>(), s.data_ptr<int64_t>() + s.numel());
  }
  return out;
}

nlohmann::json HarModel::diagnostic_state() const {
  return selections();
}

std::vector<std::pair<std::string, double>> HarModel::diagnostics(
    const nlohmann::json& run_start, const nlohmann::json& epoch_start) const {
  const std::vector<int64_t> now = selections();
  if (now.empty()) return {};
  // The share of the selections that differ from a snapshot's.
  const auto changed_since = [&](const nlohmann::json& snapshot) {
    const auto then = snapshot.get<std::vector<int64_t>>();
    TORCH_CHECK(then.size() == now.size(), "a selection snapshot of ", then.size(),
                " entries for a model of ", now.size());
    size_t changed = 0;
    for (size_t i = 0; i < now.size(); ++i) changed += then[i] != now[i];
    return static_cast<double>(changed) / static_cast<double>(now.size());
  };
  return {{"mask_changed_fraction", changed_since(run_start)},
          {"mask_changed_in_epoch", changed_since(epoch_start)}};
}

}  // namespace legohar
