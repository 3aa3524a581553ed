// Implementation of evaluate.h.
#include "legohar/train/evaluate.h"

#include <torch/torch.h>

#include "legohar/eval/profile.h"

namespace legohar {

torch::Tensor predict_classes(Cnn& model, const torch::Tensor& x, int64_t batch_size,
                              const torch::Device& device) {
  const bool was_training = model->is_training();
  model->eval();
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> out;
  for (int64_t s = 0; s < x.size(0); s += batch_size) {
    const torch::Tensor xb = x.slice(0, s, std::min(x.size(0), s + batch_size)).to(device);
    out.push_back(model->forward(xb).argmax(1).cpu());
  }
  model->train(was_training);
  return torch::cat(out);
}

Metrics evaluate_model(Cnn& model, const Examples& e, int64_t batch_size,
                       const torch::Device& device) {
  const torch::Tensor pred = predict_classes(model, e.x, batch_size, device);
  const auto* p = pred.data_ptr<int64_t>();
  const auto* t = e.y.data_ptr<int64_t>();
  std::vector<int32_t> truth(t, t + e.y.size(0)), predicted(p, p + pred.size(0));
  return compute_metrics(
      confusion_matrix(truth, predicted, static_cast<size_t>(model->spec().classes)));
}

nlohmann::json metrics_record(const Metrics& m, const ModelSpec& spec, const TrainOptions& o,
                              const Split& split, const nlohmann::json& dataset,
                              const std::vector<std::string>& class_names) {
  using nlohmann::json;
  const ModelProfile profile = profile_model(spec);
  const bool lego = spec.model == "lego";
  json record = m.to_json(class_names);
  record.update(json{{"dataset", dataset.value("name", "")},
                     {"dataset_info", dataset},
                     {"protocol", split.protocol},
                     {"split", split.to_json()},
                     {"model", spec.model},
                     {"model_label", spec.label()},
                     {"model_spec", spec.to_json()},
                     {"o", lego ? json(spec.o) : json(nullptr)},
                     {"m", lego ? json(spec.m) : json(nullptr)},
                     {"epochs", o.epochs},
                     {"seed", o.seed},
                     {"options", o.to_json()},
                     {"params", profile.params},
                     {"inference_params", profile.inference_params},
                     {"memory_mb", profile.memory_mb},
                     {"macs", profile.macs},
                     {"train_windows", split.train.size()},
                     {"test_windows", split.test.size()}});
  return record;
}

}  // namespace legohar
