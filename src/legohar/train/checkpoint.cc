// Implementation of checkpoint.h with LibTorch's serialize archives.
#include "legohar/train/checkpoint.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <sstream>

#include "legohar/common/atomic_file.h"
#include "legohar/common/checksum.h"
#include "legohar/common/error.h"
#include "legohar/nn/registry.h"

namespace legohar {
namespace fs = std::filesystem;

static constexpr const char* kFormat = "legohar-checkpoint-1";

// FNV-1a (64 bits) over every parameter and buffer of `model`: its name, shape and bytes, in the
// module's order. Flipped bytes in the weights change it (the archive itself has no checksum).
static std::string weights_checksum(HarModel& model) {
  uint64_t h = kFnv1a64Offset;
  const auto mix = [&h](const void* data, size_t n) { h = fnv1a64(data, n, h); };
  const auto add = [&](const std::string& name, const torch::Tensor& t) {
    mix(name.data(), name.size());
    for (const int64_t d : t.sizes()) mix(&d, sizeof d);
    const torch::Tensor c = t.detach().cpu().contiguous();
    mix(c.data_ptr(), c.nbytes());
  };
  for (const auto& p : model.named_parameters()) add(p.key(), p.value());
  for (const auto& b : model.named_buffers()) add(b.key(), b.value());
  return fmt::format("{:016x}", h);
}

void save_checkpoint(const fs::path& file, HarModel& model, const SaveState& save_state,
                     const nlohmann::json& meta) {
  torch::serialize::OutputArchive archive;
  nlohmann::json m = meta;
  m["format"] = kFormat;
  m["weights_fnv1a64"] = weights_checksum(model);
  archive.write("meta", c10::IValue(m.dump()));
  torch::serialize::OutputArchive weights;
  model.save(weights);
  archive.write("model", weights);
  if (save_state) {
    torch::serialize::OutputArchive state;
    save_state(state);
    archive.write("training_state", state);
  }
  // Serialized in memory first: LibTorch's file writer throws from its destructor when the disk
  // fills (std::terminate); an ofstream reports it, and the temporary file is removed.
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomically(file, bytes.str());
}

static torch::serialize::InputArchive open_archive(const fs::path& file) {
  if (!fs::exists(file)) throw Error::data(file, 0, "no such checkpoint");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string());
  } catch (const c10::Error& e) {
    throw Error::data(
        file, 0, std::string("not a readable checkpoint (") + e.what_without_backtrace() + ")");
  }
  return archive;
}

static nlohmann::json meta_of(torch::serialize::InputArchive& archive, const fs::path& file) {
  c10::IValue v;
  if (!archive.try_read("meta", v) || !v.isString())
    throw Error::data(file, 0, "not a legohar checkpoint (no meta record)");
  nlohmann::json meta = nlohmann::json::parse(v.toStringRef());
  if (meta.value("format", "") != kFormat) throw Error::data(file, 0, "unknown checkpoint format");
  return meta;
}

// Every parameter's and buffer's name and shape, in the module's order.
static std::vector<std::pair<std::string, std::vector<int64_t>>> tensor_shapes(HarModel& model) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto& p : model.named_parameters()) out.emplace_back(p.key(), p.value().sizes().vec());
  for (const auto& b : model.named_buffers()) out.emplace_back(b.key(), b.value().sizes().vec());
  return out;
}

nlohmann::json read_checkpoint_meta(const fs::path& file) {
  auto archive = open_archive(file);
  return meta_of(archive, file);
}

void load_checkpoint(const fs::path& file, HarModel& model, const LoadState& load_state) {
  auto archive = open_archive(file);
  const nlohmann::json meta = meta_of(archive, file);
  // LibTorch's archive replaces each tensor whole, whatever its shape: compare them afterwards.
  const auto expected = tensor_shapes(model);
  const auto misfit = [&](const std::string& why) {
    return Error::data(file, 0, "its weights do not fit the model it describes (" + why + ")");
  };
  torch::serialize::InputArchive weights;
  try {
    archive.read("model", weights);
    model.load(weights);
  } catch (const c10::Error& e) {
    throw misfit(e.what_without_backtrace());
  }
  const auto loaded = tensor_shapes(model);
  for (size_t i = 0; i < loaded.size(); ++i)
    if (loaded[i].second != expected[i].second)
      throw misfit(fmt::format("{} is [{}], the model's is [{}]", loaded[i].first,
                               fmt::join(loaded[i].second, ", "),
                               fmt::join(expected[i].second, ", ")));
  // Checkpoints written before the checksum existed have none to compare.
  if (meta.contains("weights_fnv1a64") && meta["weights_fnv1a64"] != weights_checksum(model))
    throw Error::data(file, 0,
                      "corrupt: its weights do not match their checksum (the file was damaged "
                      "after it was written)");
  if (load_state) {
    torch::serialize::InputArchive state;
    if (!archive.try_read("training_state", state))
      throw Error::data(file, 0, "holds no training state to resume from");
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
