// Implementation of checkpoint.h with LibTorch's serialize archives.
#include "legohar/train/checkpoint.h"

#include <torch/torch.h>

#include "legohar/common/atomic_file.h"
#include "legohar/nn/registry.h"

namespace legohar {
namespace fs = std::filesystem;

static constexpr const char* kFormat = "legohar-checkpoint-1";

void save_checkpoint(const fs::path& file, HarModel& model, const SaveState& save_state,
                     const nlohmann::json& meta) {
  torch::serialize::OutputArchive archive;
  nlohmann::json m = meta;
  m["format"] = kFormat;
  archive.write("meta", c10::IValue(m.dump()));
  torch::serialize::OutputArchive weights;
  model.save(weights);
  archive.write("model", weights);
  if (save_state) {
    torch::serialize::OutputArchive state;
    save_state(state);
    archive.write("training_state", state);
  }
  replace_file_atomically(file, [&](const fs::path& tmp) { archive.save_to(tmp.string()); });
}

static torch::serialize::InputArchive open_archive(const fs::path& file) {
  if (!fs::exists(file)) throw std::runtime_error(file.string() + ": no such checkpoint");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string());
  } catch (const c10::Error& e) {
    throw std::runtime_error(file.string() + ": not a readable checkpoint (" +
                             e.what_without_backtrace() + ")");
  }
  return archive;
}

static nlohmann::json meta_of(torch::serialize::InputArchive& archive, const fs::path& file) {
  c10::IValue v;
  if (!archive.try_read("meta", v) || !v.isString())
    throw std::runtime_error(file.string() + ": not a legohar checkpoint (no meta record)");
  nlohmann::json meta = nlohmann::json::parse(v.toStringRef());
  if (meta.value("format", "") != kFormat)
    throw std::runtime_error(file.string() + ": unknown checkpoint format");
  return meta;
}

nlohmann::json read_checkpoint_meta(const fs::path& file) {
  auto archive = open_archive(file);
  return meta_of(archive, file);
}

void load_checkpoint(const fs::path& file, HarModel& model, const LoadState& load_state) {
  auto archive = open_archive(file);
  torch::serialize::InputArchive weights;
  archive.read("model", weights);
  model.load(weights);
  if (load_state) {
    torch::serialize::InputArchive state;
    if (!archive.try_read("training_state", state))
      throw std::runtime_error(file.string() + ": holds no training state to resume from");
    load_state(state);
  }
}

std::shared_ptr<HarModel> load_model(const fs::path& file, nlohmann::json* meta_out) {
  const nlohmann::json meta = read_checkpoint_meta(file);
  std::shared_ptr<HarModel> model = build_model(ModelSpec::from_json(meta.at("model")));
  load_checkpoint(file, *model, {});
  if (meta_out) *meta_out = meta;
  return model;
}

}  // namespace legohar
