// The runtime on exported models against LibTorch on the same weights (baseline and Lego CNNs,
// BatchNorm with non-trivial statistics, per-selection and per-candidate coefficients). The
// loader's refusals are tested in the runtime's own tests (src/runtime/model_test.cc).
#include "legohar/deploy/lhm_export.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/nn/registry.h"
#include "runtime/model.h"
#include "test_support.h"
#include "trained_model.h"

namespace legohar {
namespace {

ModelSpec spec_of(const std::string& family, const std::string& coefficients = "per-selection") {
  ModelSpec s = test::tiny_spec(family, {{8, 5, 1, 2}, {8, 3, 2, 1}, {12, 3, 1, 0}});
  if (family == "lego") {
    s.o = 2;
    s.m = 0.5;
    s.mask_init_std = 1.0;  // selections away from filter 0
    s.coefficients = coefficients;
  }
  return s;
}

TEST(LhmExport, RuntimeLogitsMatchLibTorch) {
  for (const auto& [family, coefficients] : std::vector<std::pair<std::string, std::string>>{
           {"baseline", "per-selection"}, {"lego", "per-selection"}, {"lego", "per-candidate"}}) {
    const ModelSpec s = spec_of(family, coefficients);
    auto model = test::trained_like(s);
    const ExportMetadata meta = test::export_metadata(s);
    const std::string bytes = lhm_bytes(*model, meta);
    runtime::Model rt = runtime::Model::load_buffer(bytes.data(), bytes.size());
    EXPECT_EQ(rt.class_names(), meta.file.classes);
    EXPECT_EQ(rt.channel_names(), meta.file.channels);
    EXPECT_EQ(rt.window(), static_cast<size_t>(s.input_length));
    const torch::Tensor raw =
        torch::randn({16, s.input_length, s.input_channels}) * 2;         // [N, T, C]
    const torch::Tensor want = test::libtorch_logits(*model, meta, raw);  // [N, classes]
    float worst = 0;
    for (int64_t i = 0; i < raw.size(0); ++i) {
      const torch::Tensor window = raw[i].contiguous();
      std::vector<float> got(3);
      rt.logits(window.data_ptr<float>(), got.data());
      for (int64_t k = 0; k < 3; ++k)
        worst = std::max(worst, std::abs(got[k] - want[i][k].item<float>()));
      EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(),
                want[i].argmax().item<int64_t>());
    }
    EXPECT_LT(worst, 1e-4) << family << " " << coefficients;
    EXPECT_GT(want.abs().max().item<float>(), 0.1) << "logits too small to compare";
  }
}

TEST(LhmExport, FamiliesWithoutRuntimeOperatorsAreRefused) {
  ModelSpec s = test::tiny_spec("resnet", {{8, 5, 1, 2}});
  EXPECT_NE(test::error_of([&] {
              auto model = build_model(s);
              lhm_bytes(*model, test::export_metadata(s));
            }).find("no operators for model family 'resnet'"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
