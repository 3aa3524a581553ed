// Classification metrics from a confusion matrix: accuracy, weighted F1 (Lego paper eq. 10),
// macro F1 and per-class precision, recall and F1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace legohar {

// confusion[t][p]: windows of true class t predicted as p.
using ConfusionMatrix = std::vector<std::vector<int64_t>>;

ConfusionMatrix confusion_matrix(const std::vector<int32_t>& truth,
                                 const std::vector<int32_t>& predicted, size_t classes);

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;  // windows of this class
};

struct Metrics {
  double accuracy = 0;
  double weighted_f1 = 0;  // sum_c (N_c / N) * 2 P_c R_c / (P_c + R_c)
  double macro_f1 = 0;     // mean of the per-class F1 over classes present in truth or prediction
  std::vector<ClassMetrics> per_class;
  ConfusionMatrix confusion;

  // {"accuracy", "weighted_f1", "macro_f1", "confusion", "per_class": [{name, precision, ...}]}
  nlohmann::json to_json(const std::vector<std::string>& class_names) const;
};

// A class with no predicted windows has precision 0; with P + R = 0 its F1 is 0.
Metrics compute_metrics(const ConfusionMatrix& confusion);

}  // namespace legohar
