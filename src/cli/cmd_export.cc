// `legohar export`: a trained model as a runtime model file (.lhm), a TorchScript module (.pt) or
// a PyTorch Mobile lite-interpreter module (.ptl), checked on its own test split against LibTorch
// before the command returns: the file is read back as its consumer reads it, the largest logit
// difference and the share of identical predictions are printed, and the export is refused
// (nothing left behind) beyond the bound of deploy/logit_agreement.h or on any disagreement.
// --reference also writes the test windows, LibTorch's logits and the bounds for
// scripts/check_pytorch_export.py, which repeats the check in PyTorch itself. --against-double
// tells float32 rounding from a fault: how far LibTorch and the file each are from LibTorch's
// model run in double precision.
#include <fmt/format.h>
#include <torch/torch.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/data/text_file.h"
#include "legohar/deploy/lhm_export.h"
#include "legohar/deploy/logit_agreement.h"
#include "legohar/deploy/torchscript_export.h"
#include "legohar/train/tensors.h"
#include "runtime/model.h"

namespace legohar::cli {
namespace fs = std::filesystem;

namespace {

// The written file's logits on windows `x` [N, T, C], as its consumer computes them. [N, classes]
torch::Tensor exported_logits(const std::string& format, const fs::path& file,
                              const torch::Tensor& x) {
  if (format != "lhm") {
    const LoadedTorchScript m = load_torchscript(read_file_bytes(file), format == "ptl");
    torch::NoGradGuard no_grad;
    return m(x);
  }
  runtime::Model rt = runtime::Model::load_file(file);
  torch::Tensor logits = torch::empty({x.size(0), static_cast<int64_t>(rt.class_names().size())});
  for (int64_t i = 0; i < x.size(0); ++i)
    rt.logits(x[i].data_ptr<float>(), logits[i].data_ptr<float>());
  return logits;
}

// The model's logits in double precision on standardised windows `x` [N, T, C], in batches of
// 256; the model is left in double precision. [N, classes]
torch::Tensor double_precision_logits(HarModel& model, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  model.to(torch::kDouble);
  std::vector<torch::Tensor> parts;
  for (const torch::Tensor& batch : x.split(256))
    parts.push_back(model.forward(batch.to(torch::kDouble)));
  return torch::cat(parts);
}

}  // namespace

void register_export(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write a trained model for the runtime or PyTorch");
  auto opts = std::make_shared<CommonOptions>();
  auto checkpoint = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("lhm");
  auto merge = std::make_shared<std::string>("gather");
  auto out = std::make_shared<std::string>();
  auto reference = std::make_shared<std::string>();
  auto against_double = std::make_shared<bool>(false);
  cmd->add_option("--checkpoint", *checkpoint, "Run directory or model.pt")->required();
  cmd->add_option("--format", *format,
                  "lhm: legohar's runtime (src/runtime/); torchscript: torch.jit.load (.pt); "
                  "ptl: PyTorch Mobile's lite interpreter (bytecode v8)")
      ->check(CLI::IsMember({"lhm", "torchscript", "ptl"}));
  cmd->add_option("--lego-merge", *merge,
                  "torchscript/ptl: a Lego layer as its shared filters' convolution and a gather "
                  "of the selected maps, or as one convolution with the assembled filters")
      ->check(CLI::IsMember({"gather", "assembled"}));
  cmd->add_option("--out", *out, "The model file to write")->required();
  cmd->add_option("--reference", *reference,
                  "Also write the test windows, LibTorch's logits and the bound here, for "
                  "scripts/check_pytorch_export.py");
  cmd->add_flag("--against-double", *against_double,
                "Also run LibTorch's model in double precision and print how far LibTorch "
                "(float32) and the file each are from it: float32 rounding or a fault");
  add_data_options(cmd, *opts);
  cmd->callback([=] {
    torch::set_num_threads(1);
    const TrainedRun run = open_trained_run(*checkpoint, *opts);
    HarModel& model = *run.model;
    model.eval();
    const WindowSet& windows = run.windows;
    const Split& split = run.split;
    ExportMetadata meta;
    meta.file.classes = windows.class_names;
    meta.file.channels = windows.channel_names;
    meta.normaliser = run.normaliser;
    const DatasetSpec data = run_dataset(run.config, run.options);
    meta.file.step = static_cast<size_t>(data.windows.step);
    meta.file.sample_rate_hz = dataset_sample_rate(data);
    if (data.source == "hapt-raw")  // a stream starts from the raw samples
      meta.file.preprocess = "uci-har " + data.filters.key();
    if (*format == "lhm")
      export_lhm(model, meta, *out);
    else
      export_torchscript(model, meta, parse_lego_merge(*merge), *format == "ptl", *out);

    // The file as its consumer reads it, against LibTorch on every test window.
    const torch::Tensor x = window_tensor(windows, split.test);  // [N, T, C]
    const Examples test(windows, split.test, meta.normaliser);
    const torch::Tensor standardised = test.x(0, test.size());  // [N, T, C]
    torch::Tensor want;
    {
      torch::NoGradGuard no_grad;
      want = model.forward(standardised);
    }
    const torch::Tensor got = exported_logits(*format, *out, x);
    const LogitAgreement a = compare_logits(got, want);
    fmt::print(
        "{}: {} ({} bytes); on {} test windows: max |logit - LibTorch's| {:.2e} ({:.0f} % of "
        "the bound {:.0e} + {:.0e} x the window's largest |logit|), {}/{} identical predictions\n",
        *out, model.spec().label(), fs::file_size(*out), a.windows, a.max_difference,
        100 * a.worst_share, kLogitAbsoluteBound, kLogitRelativeBound, a.identical, a.windows);
    if (*against_double) {  // before a refusal: it says whether the refusal is rounding
      const torch::Tensor exact = double_precision_logits(model, standardised);
      auto off = [&](const torch::Tensor& t) {
        return (t.to(torch::kDouble) - exact).abs().max().item<double>();
      };
      fmt::print(
          "against LibTorch in double precision (largest |logit| {:.2f}): max |difference| of "
          "LibTorch in float32 {:.2e}, of the {} file {:.2e}\n",
          exact.abs().max().item<double>(), off(want), *format, off(got));
    }
    if (!a.ok()) {
      fs::remove(*out);
      throw Error::state("the " + *format +
                         " file disagrees with LibTorch on this model: nothing written");
    }
    if (!reference->empty())
      write_file_atomically(*reference, torchscript_reference_bytes(x, want));
  });
}

}  // namespace legohar::cli
