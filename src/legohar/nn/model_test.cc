// Tests of the model interface over every family (model.h, registry.h): the analytic profile
// agrees with LibTorch's own parameter tensors and with the shapes each block produces; mask and
// weight parameters partition the parameters; every family builds by name.
#include "legohar/nn/model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/nn/registry.h"
#include "legohar/spec/profile.h"
#include "legohar/spec/train_options.h"
#include "test_support.h"

namespace legohar {
namespace {

// The UCI-HAR architecture of configs/datasets/uci-har.toml in the given family.
ModelSpec uci_har(const std::string& family, bool lego = false, int64_t o = 2, double m = 0.5) {
  ModelSpec s;
  s.model = family;
  s.lego = lego;
  s.o = o;
  s.m = m;
  s.layers = {{128, 6, 3, 1}, {256, 6, 3, 1}, {384, 6, 3, 1}};
  return s;
}

class EveryFamily : public ::testing::TestWithParam<ModelSpec> {};

TEST_P(EveryFamily, ProfileMatchesParametersAndBlockShapes) {
  const ModelSpec s = GetParam();
  const std::shared_ptr<HarModel> net = build_model(s);
  const ModelProfile p = profile_model(s);
  int64_t params = 0, logits = 0, coefficients = 0, selections = 0;
  for (const auto& t : net->parameters()) params += t.numel();
  for (const auto& l : net->lego_layers()) {
    logits += l->logits.numel();
    coefficients += l->coefficients.numel();
    selections += l->selection().numel();
  }
  EXPECT_EQ(p.params, params) << s.label();
  // Inference keeps each selection's index and coefficient in place of the logits and
  // coefficients.
  EXPECT_EQ(p.inference_params, params - logits - coefficients + 2 * selections) << s.label();
  EXPECT_EQ(net->selections().size(), static_cast<size_t>(selections));
  EXPECT_EQ(s.uses_lego(), !net->lego_layers().empty());
  // Mask logits and weights partition the parameters.
  EXPECT_EQ(net->mask_parameters().size(), net->lego_layers().size());
  EXPECT_EQ(net->weight_parameters().size() + net->mask_parameters().size(),
            net->parameters().size());
  net->eval();
  torch::NoGradGuard g;
  torch::Tensor h = torch::randn({2, 1, 128, 9});
  ASSERT_EQ(net->num_blocks(), p.block_shapes.size());
  for (size_t i = 0; i < net->num_blocks(); ++i) {
    h = net->forward_block(i, h);
    std::vector<int64_t> shape = {2};
    shape.insert(shape.end(), p.block_shapes[i].begin(), p.block_shapes[i].end());
    EXPECT_EQ(h.sizes(), shape) << s.label() << " block " << i;
  }
  EXPECT_EQ(net->classify(h).sizes(), (std::vector<int64_t>{2, 6}));
}

INSTANTIATE_TEST_SUITE_P(UciHar, EveryFamily,
                         ::testing::Values(
                             uci_har("baseline"), uci_har("lego", false, 2, 0.5),
                             uci_har("lego", false, 4, 0.5), uci_har("lego", false, 2, 0.25),
                             uci_har("lego", false, 4, 0.25), uci_har("resnet"),
                             uci_har("resnet", true, 2, 0.5),
                             [] {
                               ModelSpec s = uci_har("lego", false, 4, 0.25);
                               s.coefficients = "per-candidate";
                               return s;
                             }(),
                             [] {
                               ModelSpec s = uci_har("resnet", true, 4, 0.25);
                               s.block = "bottleneck";
                               s.blocks = 5;
                               return s;
                             }(),
                             [] {
                               ModelSpec s = uci_har("resnet");
                               s.order = "full-preact";
                               s.blocks = 2;
                               return s;
                             }(),
                             uci_har("bilstm"),
                             [] {
                               ModelSpec s = uci_har("bilstm");
                               s.bidirectional = false;
                               s.lstm_layers = 3;
                               s.hidden = 16;
                               return s;
                             }()),
                         [](const auto& info) { return test::test_name(info.param.label()); });

TEST(Registry, EveryFamilyBuildsAndUnknownOnesAreRefused) {
  for (const ModelFamily& f : model_families()) {
    ModelSpec s = uci_har(std::string(f.name));
    EXPECT_EQ(build_model(s)->spec().model, f.name);
  }
  ModelSpec bad = uci_har("vgg");
  try {
    build_model(bad);
    ADD_FAILURE() << "built an unknown family";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "model = 'vgg': must be one of baseline, lego, resnet, bilstm");
  }
}

// Diagnostics count the selections that differ from each snapshot, worked by hand: flipping one
// selection of a Lego layer changes 1 of all of them.
TEST(ModelDiagnostics, SelectionChangesAgainstSnapshots) {
  const std::shared_ptr<HarModel> lego = build_model(uci_har("lego", false, 4, 0.25));
  const nlohmann::json start = lego->diagnostic_state();
  const double total = static_cast<double>(lego->selections().size());
  {
    torch::NoGradGuard g;
    const torch::Tensor logits = lego->lego_layers()[1]->logits;  // [o, n, k]
    const int64_t selected = logits[0][0].argmax().item<int64_t>();
    logits[0][0][(selected + 1) % logits.size(2)] = 100.0;
  }
  const nlohmann::json after = lego->diagnostic_state();
  using Named = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(lego->diagnostics(start, after),
            (Named{{"mask_changed_fraction", 1 / total}, {"mask_changed_in_epoch", 0.0}}));
  EXPECT_EQ(lego->diagnostics(start, start),
            (Named{{"mask_changed_fraction", 1 / total}, {"mask_changed_in_epoch", 1 / total}}));
  EXPECT_THROW(lego->diagnostics(nlohmann::json::array({1, 2}), after), c10::Error);
  // Families without Lego layers report nothing.
  for (const char* family : {"baseline", "resnet", "bilstm"}) {
    const std::shared_ptr<HarModel> plain = build_model(uci_har(family));
    EXPECT_TRUE(plain->diagnostics(plain->diagnostic_state(), plain->diagnostic_state()).empty())
        << family;
  }
}

TEST(ModelSpec, LabelsAndJsonPerFamily) {
  EXPECT_EQ(uci_har("baseline").label(), "baseline");
  EXPECT_EQ(uci_har("lego", false, 4, 0.25).label(), "lego(o=4,m=0.25)");
  EXPECT_EQ(uci_har("resnet").label(), "resnet");
  ModelSpec r = uci_har("resnet", true);
  r.blocks = 4;
  EXPECT_EQ(r.label(), "resnet(o=2,m=0.5,blocks=4)");
  ModelSpec candidate = uci_har("lego");
  candidate.coefficients = "per-candidate";
  EXPECT_EQ(candidate.label(), "lego(o=2,m=0.5,coefficients=per-candidate)");
  // The coefficients and the logits' scale train one architecture differently: tables name the
  // architecture without them and the options beside the loss.
  candidate.mask_init_std = 0.01;
  candidate.lego_init = "uniform";
  EXPECT_EQ(candidate.architecture_label(), "lego(o=2,m=0.5)");
  EXPECT_EQ(candidate.settings(ModelSpec::Settings::kTraining),
            (std::vector<std::string>{"mask_init_std=0.01", "coefficients=per-candidate",
                                      "lego_init=uniform"}));
  EXPECT_EQ(ModelSpec::from_json(candidate.to_json()).lego_init, "uniform");
  // The spec's initialisation reaches every Lego layer: by default the Lego authors' (signed
  // coefficients), otherwise coefficients of one.
  for (const std::string init : {"he", "uniform"}) {
    ModelSpec s = uci_har("lego");
    s.lego_init = init;
    const std::shared_ptr<HarModel> built = build_model(s);
    for (const LegoConv2d& layer : built->lego_layers()) {
      EXPECT_EQ(layer->options.he_init(), init == "he");
      EXPECT_EQ(layer->coefficients.min().item<double>() < 0.0, init == "he");
    }
  }
  // A record written before the option existed was made with the uniform initialisation, the
  // default of the time.
  nlohmann::json older = uci_har("lego").to_json();
  EXPECT_EQ(older.at("lego_init"), "he");
  older.erase("lego_init");
  EXPECT_EQ(ModelSpec::from_json(older).lego_init, "uniform");
  EXPECT_EQ(ModelSpec::from_json(older).label(), "lego(o=2,m=0.5,lego_init=uniform)");
  EXPECT_EQ(r.architecture_label(), r.label());
  EXPECT_TRUE(r.settings(ModelSpec::Settings::kTraining).empty());
  // Any Lego option given turns a ResNet's Lego convolutions on; a CNN never shows them.
  ModelSpec implied = uci_har("resnet");
  implied.imply_lego({"blocks", "coefficients"});
  EXPECT_TRUE(implied.uses_lego());
  candidate.model = "baseline";
  EXPECT_EQ(candidate.label(), "baseline");
  EXPECT_TRUE(candidate.settings(ModelSpec::Settings::kTraining).empty());
  // Nor records them: a CNN's record compares equal whatever Lego options it was given.
  EXPECT_FALSE(candidate.to_json().contains("lego_init"));
  EXPECT_FALSE(candidate.to_json().contains("o"));
  EXPECT_EQ(candidate.to_json(), uci_har("baseline").to_json());
  EXPECT_EQ(ModelSpec::from_json(candidate.to_json()).to_json(), candidate.to_json());
  // A CNN's record holds only its own options: the same JSON as before other families existed.
  const nlohmann::json cnn = uci_har("lego").to_json();
  EXPECT_FALSE(cnn.contains("blocks"));
  EXPECT_EQ(cnn.at("model"), "lego");
  EXPECT_EQ(ModelSpec::from_json(r.to_json()).to_json(), r.to_json());
  EXPECT_EQ(ModelSpec::from_json(r.to_json()).label(), r.label());
  ModelSpec lstm = uci_har("bilstm");
  lstm.residual = false;
  EXPECT_EQ(lstm.label(), "bilstm(residual=false)");
  EXPECT_FALSE(lstm.to_json().contains("o"));  // no convolutions: no Lego options
}

// A family's training defaults replace the dataset file's; flags and experiment keys still win.
TEST(ModelSpec, FamilyTrainingDefaults) {
  TrainOptions base;
  base.lr = 2e-3;
  const TrainOptions lstm = with_family_defaults(base, "bilstm");
  EXPECT_DOUBLE_EQ(lstm.lr, 1e-3);
  EXPECT_DOUBLE_EQ(lstm.weight_decay, 5e-3);
  EXPECT_DOUBLE_EQ(lstm.clip_norm, 15.0);
  EXPECT_EQ(lstm.batch_size, 100);
  EXPECT_EQ(with_family_defaults(base, "lego").to_json(), base.to_json());
}

}  // namespace
}  // namespace legohar
