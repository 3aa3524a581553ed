// Tests of checkpoint.h: a checkpoint reloads its weights exactly; one whose weight bytes were
// damaged after writing, or whose weights do not fit its model, is refused with the file named.
#include "legohar/train/checkpoint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "legohar/nn/registry.h"
#include "test_support.h"

namespace legohar {
namespace {

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Checkpoint, DamagedWeightBytesAreRefused) {
  test::ScratchDir dir;
  torch::manual_seed(3);
  const ModelSpec spec = test::tiny_spec("baseline", {{8, 6, 3, 1}, {4, 3, 1, 1}});
  const std::shared_ptr<HarModel> model = build_model(spec);
  // A value to find in the file: the first parameter's first weight.
  const float marker = 1234.5678f;
  {
    torch::NoGradGuard no_grad;
    model->parameters().front().view(-1)[0].fill_(marker);
  }
  const auto file = dir.path() / "model.pt";
  save_checkpoint(file, *model, {}, {{"model", spec.to_json()}});
  const std::shared_ptr<HarModel> back = load_model(file);
  for (size_t i = 0; i < model->parameters().size(); ++i)
    EXPECT_TRUE(torch::equal(model->parameters()[i], back->parameters()[i]));

  // One bit of the marker flipped in place: the archive still opens, the checksum does not match.
  std::string bytes = read_bytes(file);
  char pattern[sizeof marker];
  std::memcpy(pattern, &marker, sizeof marker);
  const size_t at = bytes.find(std::string(pattern, sizeof marker));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x04);
  test::write_text(file, bytes);
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              load_model(file);
            }).find(file.string() + ": corrupt: its weights do not match their checksum"),
            std::string::npos);

  // Weights of another architecture under this spec: refused, not a LibTorch backtrace.
  ModelSpec wider = spec;
  wider.layers[0].channels = 16;
  save_checkpoint(file, *build_model(wider), {}, {{"model", spec.to_json()}});
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              load_model(file);
            }).find(": its weights do not fit the model it describes"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
