// The TorchScript export against LibTorch on the same weights, for every family over a table of
// layouts (baseline; Lego CNNs with 1, 2 and 4 fragments and both kinds of coefficient; ResNets in
// each activation order, basic and bottleneck, with and without Lego layers, projection shortcuts;
// BiLSTMs one- and two-directional, residual or not, either readout): the module built in C++,
// the same read back from its .pt and .ptl bytes, both Lego merges, and the files loaded by
// PyTorch itself (/usr/bin/python3, scripts/check_pytorch_export.py).
#include "legohar/deploy/torchscript_export.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "test_support.h"
#include "torch_reference.h"
#include "trained_model.h"

namespace legohar {
namespace {

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

TEST(TorchScriptExport, EveryFamilyMatchesLibTorch) {
  for (const test::ExportLayout& c : test::export_layouts()) {
    SCOPED_TRACE(c.name);
    auto model = test::trained_like(c.spec);
    const ExportMetadata meta = test::export_metadata(c.spec);
    const torch::Tensor raw =
        torch::randn({9, c.spec.input_length, c.spec.input_channels}) * 2;  // [N, T, C]
    const torch::Tensor want = test::libtorch_logits(*model, meta, raw);
    ASSERT_GT(want.abs().max().item<double>(), 0.1) << "logits too small to compare";
    for (const LegoMerge merge : {LegoMerge::kGather, LegoMerge::kAssembled}) {
      torch::jit::Module m = torchscript_module(*model, meta, merge);
      const torch::Tensor got = m.forward({raw}).toTensor();
      EXPECT_LT(max_difference(got, want), 1e-5);
      EXPECT_TRUE(torch::equal(got.argmax(1), want.argmax(1)));
      const torch::Tensor p = m.run_method("probabilities", raw).toTensor();
      EXPECT_LT(max_difference(p, torch::softmax(want, 1)), 1e-5);
      for (const bool lite : {false, true}) {
        const LoadedTorchScript loaded =
            load_torchscript(torchscript_bytes(*model, meta, merge, lite), lite);
        EXPECT_LT(max_difference(loaded(raw), got), 1e-6) << (lite ? "ptl" : "pt");
      }
    }
  }
}

TEST(TorchScriptExport, CarriesTheMetadataAndRefusesOtherShapes) {
  const ModelSpec s = test::cnn_layout("lego", 2, 0.5, "per-selection");
  auto model = test::trained_like(s);
  ExportMetadata meta = test::export_metadata(s);
  meta.file.step = 16;
  meta.file.sample_rate_hz = 50;
  meta.file.preprocess = "uci-har test";
  torch::jit::Module m = torchscript_module(*model, meta, LegoMerge::kGather);
  EXPECT_EQ(m.attr("window").toInt(), s.input_length);
  EXPECT_EQ(m.attr("step").toInt(), 16);
  EXPECT_EQ(m.attr("sample_rate").toDouble(), 50.0);
  EXPECT_EQ(m.attr("preprocess").toStringRef(), "uci-har test");
  const auto classes = m.attr("class_names").toList();
  ASSERT_EQ(classes.size(), meta.file.classes.size());
  EXPECT_EQ(classes.get(1).toStringRef(), meta.file.classes[1]);
  EXPECT_FALSE(m.attr("training").toBool());
  for (const auto& sub : m.modules()) EXPECT_FALSE(sub.attr("training").toBool());

  const auto description =
      nlohmann::json::parse(torchscript_description(*model, meta, LegoMerge::kGather));
  EXPECT_EQ(description.at("classes"), meta.file.classes);
  EXPECT_EQ(description.at("model"), s.label());
  EXPECT_EQ(description.at("normaliser").at("std").size(), 9u);

  const std::string error = test::message_of<std::exception>([&] {
    m.forward({torch::randn({2, s.input_length + 1, s.input_channels})});
  });
  EXPECT_NE(error.find("expected float32 windows [N, 32, 9]"), std::string::npos) << error;
  meta.file.classes.pop_back();
  EXPECT_NE(test::error_of([&] {
              torchscript_module(*model, meta, LegoMerge::kGather);
            }).find("the model has 3 classes; the metadata names 2"),
            std::string::npos);
  EXPECT_THROW(parse_lego_merge("scatter"), Error);
}

// PyTorch itself loads each file (torch.jit.load, _load_for_lite_interpreter) and compares its
// logits on the windows with LibTorch's.
TEST(TorchScriptExport, PyTorchLoadsBothFormats) {
  if (!test::python_torch_available()) GTEST_SKIP() << "/usr/bin/python3 with torch not found";
  test::ScratchDir dir;
  std::string args;
  for (const test::ExportLayout& c : test::export_layouts()) {
    auto model = test::trained_like(c.spec);
    const ExportMetadata meta = test::export_metadata(c.spec);
    const torch::Tensor raw = torch::randn({9, c.spec.input_length, c.spec.input_channels}) * 2;
    const std::string bytes =
        torchscript_reference_bytes(raw, test::libtorch_logits(*model, meta, raw));
    const auto ref = dir.path() / (c.name + "-reference.pt");
    std::ofstream(ref, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    for (const bool lite : {false, true}) {
      const auto file = dir.path() / (c.name + (lite ? ".ptl" : ".pt"));
      export_torchscript(*model, meta, LegoMerge::kGather, lite, file);
      args += " " + file.string() + " " + ref.string();
    }
  }
  const std::string cmd =
      "/usr/bin/python3 " LEGOHAR_SOURCE_DIR "/scripts/check_pytorch_export.py" + args;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

}  // namespace
}  // namespace legohar
