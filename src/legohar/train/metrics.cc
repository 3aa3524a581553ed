// Implementation of metrics.h.
#include "legohar/train/metrics.h"

#include <stdexcept>

namespace legohar {

ConfusionMatrix confusion_matrix(const std::vector<int32_t>& truth,
                                 const std::vector<int32_t>& predicted, size_t classes) {
  if (truth.size() != predicted.size())
    throw std::invalid_argument("truth and prediction differ in length");
  ConfusionMatrix m(classes, std::vector<int64_t>(classes, 0));
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || predicted[i] < 0 || static_cast<size_t>(truth[i]) >= classes ||
        static_cast<size_t>(predicted[i]) >= classes)
      throw std::out_of_range("class index outside [0, classes)");
    ++m[truth[i]][predicted[i]];
  }
  return m;
}

Metrics compute_metrics(const ConfusionMatrix& cm) {
  Metrics out;
  out.confusion = cm;
  const size_t k = cm.size();
  int64_t total = 0, correct = 0;
  std::vector<int64_t> predicted(k, 0);
  for (size_t t = 0; t < k; ++t)
    for (size_t p = 0; p < k; ++p) {
      total += cm[t][p];
      predicted[p] += cm[t][p];
      if (t == p) correct += cm[t][p];
    }
  if (total == 0) throw std::invalid_argument("metrics of an empty confusion matrix");
  out.accuracy = static_cast<double>(correct) / static_cast<double>(total);
  size_t present = 0;
  for (size_t c = 0; c < k; ++c) {
    ClassMetrics m;
    for (size_t p = 0; p < k; ++p) m.support += cm[c][p];
    const double tp = static_cast<double>(cm[c][c]);
    m.precision = predicted[c] ? tp / static_cast<double>(predicted[c]) : 0.0;
    m.recall = m.support ? tp / static_cast<double>(m.support) : 0.0;
    m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
    out.weighted_f1 += static_cast<double>(m.support) / static_cast<double>(total) * m.f1;
    if (m.support > 0 || predicted[c] > 0) {
      out.macro_f1 += m.f1;
      ++present;
    }
    out.per_class.push_back(m);
  }
  out.macro_f1 /= static_cast<double>(present);
  return out;
}

nlohmann::json Metrics::to_json(const std::vector<std::string>& names) const {
  nlohmann::json per = nlohmann::json::array();
  for (size_t c = 0; c < per_class.size(); ++c)
    per.push_back({{"class", c < names.size() ? names[c] : std::to_string(c)},
                   {"precision", per_class[c].precision},
                   {"recall", per_class[c].recall},
                   {"f1", per_class[c].f1},
                   {"support", per_class[c].support}});
  return {{"accuracy", accuracy},
          {"weighted_f1", weighted_f1},
          {"macro_f1", macro_f1},
          {"confusion", confusion},
          {"per_class", per}};
}

}  // namespace legohar
