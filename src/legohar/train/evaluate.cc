// Implementation of evaluate.h.
#include "legohar/train/evaluate.h"

#include <torch/torch.h>

#include <functional>

namespace legohar {

namespace {

// Runs `visit(batch)` over the n inputs `slice(begin, end)` gives, in batches on `device`, the
// model in evaluation mode without gradients; the model's mode is restored afterwards.
void for_each_eval_batch(HarModel& model, int64_t n,
                         const std::function<torch::Tensor(int64_t, int64_t)>& slice,
                         int64_t batch_size, const torch::Device& device,
                         const std::function<void(const torch::Tensor&)>& visit) {
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  for (int64_t s = 0; s < n; s += batch_size)
    visit(slice(s, std::min(n, s + batch_size)).to(device));
  model.train(was_training);
}

// The batches of `e`, materialised one at a time.
void for_each_eval_batch(HarModel& model, const Examples& e, int64_t batch_size,
                         const torch::Device& device,
                         const std::function<void(const torch::Tensor&)>& visit) {
  for_each_eval_batch(
      model, e.size(), [&](int64_t b, int64_t end) { return e.x(b, end); }, batch_size, device,
      visit);
}

// Metrics of predicted classes [N] against the true ones [N] (int64, CPU).
Metrics metrics_of(const torch::Tensor& truth, const torch::Tensor& pred, int64_t classes) {
  const auto* p = pred.data_ptr<int64_t>();
  const auto* t = truth.data_ptr<int64_t>();
  std::vector<int32_t> true_classes(t, t + truth.size(0)), predicted(p, p + pred.size(0));
  return compute_metrics(confusion_matrix(true_classes, predicted, static_cast<size_t>(classes)));
}

}  // namespace

torch::Tensor predict_classes(HarModel& model, const torch::Tensor& x, int64_t batch_size,
                              const torch::Device& device) {
  std::vector<torch::Tensor> out;
  for_each_eval_batch(
      model, x.size(0), [&](int64_t b, int64_t e) { return x.slice(0, b, e); }, batch_size, device,
      [&](const torch::Tensor& xb) { out.push_back(model.forward(xb).argmax(1).cpu()); });
  return torch::cat(out);
}

Metrics evaluate_model(HarModel& model, const Examples& e, int64_t batch_size,
                       const torch::Device& device, double* mean_loss) {
  std::vector<torch::Tensor> predicted;
  double loss_sum = 0;
  int64_t start = 0;
  for_each_eval_batch(model, e, batch_size, device, [&](const torch::Tensor& xb) {
    const torch::Tensor logits = model.forward(xb);  // [B, classes]
    if (mean_loss) {
      const torch::Tensor yb = e.y().slice(0, start, start + xb.size(0)).to(device);
      loss_sum +=
          torch::nn::functional::cross_entropy(
              logits, yb, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
              .item<double>();
    }
    predicted.push_back(logits.argmax(1).cpu());
    start += xb.size(0);
  });
  if (mean_loss) *mean_loss = loss_sum / static_cast<double>(std::max<int64_t>(1, e.size()));
  return metrics_of(e.y(), torch::cat(predicted), model.spec().classes);
}

std::vector<Metrics> evaluate_local_heads(HarModel& model, std::vector<LocalHeads> heads,
                                          const Examples& e, int64_t batch_size,
                                          const torch::Device& device) {
  if (heads.size() != model.num_blocks())
    throw std::invalid_argument("evaluate_local_heads: one head per block expected");
  std::vector<std::vector<torch::Tensor>> predicted(heads.size());
  for_each_eval_batch(model, e, batch_size, device, [&](torch::Tensor h) {
    for (size_t i = 0; i < heads.size(); ++i) {
      h = model.forward_block(i, h);  // [N, C_i, H_i, W_i]
      predicted[i].push_back(heads[i]->predict(h).argmax(1).cpu());
    }
  });
  std::vector<Metrics> out;
  for (const auto& p : predicted)
    out.push_back(metrics_of(e.y(), torch::cat(p), model.spec().classes));
  return out;
}

}  // namespace legohar
