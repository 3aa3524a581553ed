// Linear resampling of a uniformly sampled signal to another rate, one input sample at a time:
// output k lies at input position k * in_hz / out_hz (the first output is the first input) and
// interpolates the two inputs around it, as training's CSV reader resamples a recording onto its
// rate (an integer ratio, such as PAMAP2's 100 -> 33.3 Hz, keeps every ratio-th sample exactly).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace legohar::runtime {

class LinearResampler {
 public:
  // Throws std::invalid_argument unless both rates are in (0, 100000] Hz and channels > 0.
  LinearResampler(double in_hz, double out_hz, size_t channels);

  // Takes one input sample [channels]; appends the outputs at or before it to `out` ([n,
  // channels] more values) and returns n.
  size_t push(const double* sample, std::vector<double>& out);

  uint64_t inputs() const { return inputs_; }
  uint64_t outputs() const { return outputs_; }

 private:
  double ratio_;  // input samples per output sample
  size_t channels_;
  uint64_t inputs_ = 0, outputs_ = 0;
  std::vector<double> last_;  // the input before this one [channels]
};

}  // namespace legohar::runtime
