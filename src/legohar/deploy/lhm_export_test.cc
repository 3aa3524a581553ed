// The runtime on exported models against LibTorch on the same weights, for every family over the
// exporters' table of layouts (tests/trained_model.h: CNNs, Lego CNNs, ResNets in each activation
// order with projection shortcuts, BiLSTMs), BatchNorm with non-trivial statistics. The loader's
// refusals are tested in the runtime's own tests (src/runtime/model_test.cc).
#include "legohar/deploy/lhm_export.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/nn/registry.h"
#include "runtime/model.h"
#include "test_support.h"
#include "trained_model.h"

namespace legohar {
namespace {

TEST(LhmExport, RuntimeLogitsMatchLibTorch) {
  for (const test::ExportLayout& c : test::export_layouts()) {
    SCOPED_TRACE(c.name);
    const ModelSpec& s = c.spec;
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
    ASSERT_GT(want.abs().max().item<float>(), 0.1) << "logits too small to compare";
    const auto classes = static_cast<size_t>(s.classes);
    float worst = 0;
    for (int64_t i = 0; i < raw.size(0); ++i) {
      const torch::Tensor window = raw[i].contiguous();
      std::vector<float> got(classes);
      rt.logits(window.data_ptr<float>(), got.data());
      for (size_t k = 0; k < classes; ++k)
        worst = std::max(worst, std::abs(got[k] - want[i][static_cast<int64_t>(k)].item<float>()));
      EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(),
                want[i].argmax().item<int64_t>());
    }
    EXPECT_LT(worst, 1e-4);
  }
}

}  // namespace
}  // namespace legohar
