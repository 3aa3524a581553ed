// `legohar export`: a trained model as a runtime model file (.lhm), checked on its own test split
// against LibTorch before the command returns: the largest logit difference and the share of
// identical predictions are printed (and the export refused beyond 1e-4 or on any disagreement).
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/error.h"
#include "legohar/deploy/lhm_export.h"
#include "legohar/train/tensors.h"
#include "runtime/model.h"

namespace legohar::cli {
namespace fs = std::filesystem;

void register_export(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write a trained model for the inference runtime");
  auto opts = std::make_shared<CommonOptions>();
  auto checkpoint = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("lhm");
  auto out = std::make_shared<std::string>();
  cmd->add_option("--checkpoint", *checkpoint, "Run directory or model.pt")->required();
  cmd->add_option("--format", *format, "lhm: legohar's runtime (src/runtime/)")
      ->check(CLI::IsMember({"lhm"}));
  cmd->add_option("--out", *out, "The model file to write")->required();
  add_data_options(cmd, *opts);
  cmd->callback([=] {
    torch::set_num_threads(1);
    const TrainedRun run = open_trained_run(*checkpoint, *opts);
    HarModel& model = *run.model;
    model.eval();
    const WindowSet& windows = run.windows;
    const Split& split = run.split;
    LhmMetadata lhm;
    lhm.file.classes = windows.class_names;
    lhm.file.channels = windows.channel_names;
    lhm.normaliser = run.normaliser;
    const DatasetSpec data = run_dataset(run.config, run.options);
    lhm.file.step = static_cast<size_t>(data.windows.step);
    if (data.source == "hapt-raw") {  // a stream starts from the raw samples
      lhm.file.sample_rate_hz = data.filters.sample_rate_hz;
      lhm.file.preprocess = "uci-har " + data.filters.key();
    }
    export_lhm(model, lhm, *out);

    // The file as the runtime reads it, against LibTorch on every test window.
    runtime::Model rt = runtime::Model::load_file(*out);
    const Examples test = make_examples(windows, split.test, lhm.normaliser);
    torch::Tensor want;
    {
      torch::NoGradGuard no_grad;
      want = model.forward(test.x).contiguous();  // [N, classes]
    }
    const size_t classes = windows.class_names.size();
    std::vector<float> got(classes);
    double worst = 0;
    size_t same = 0;
    for (size_t i = 0; i < split.test.size(); ++i) {
      rt.logits(windows.window(split.test[i]), got.data());
      const float* w = want.data_ptr<float>() + i * classes;
      for (size_t k = 0; k < classes; ++k)
        worst = std::max(worst, static_cast<double>(std::abs(got[k] - w[k])));
      same += std::max_element(got.begin(), got.end()) - got.begin() ==
              std::max_element(w, w + classes) - w;
    }
    fmt::print(
        "{}: {} ({} bytes); on {} test windows: max |logit - LibTorch's| {:.2e}, {}/{} "
        "identical predictions\n",
        *out, model.spec().label(), fs::file_size(*out), split.test.size(), worst, same,
        split.test.size());
    if (worst > 1e-4 || same != split.test.size()) {
      fs::remove(*out);
      throw Error::state("the runtime disagrees with LibTorch on this model: nothing written");
    }
  });
}

}  // namespace legohar::cli
