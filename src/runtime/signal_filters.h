// Signal filters of the UCI-HAR preprocessing: a median filter, Butterworth low-pass design
// (bilinear transform, as scipy.signal.butter), zero-phase forward-backward filtering (as
// scipy.signal.filtfilt with odd padding and steady-state initial conditions), and the causal
// forms a stream can compute sample by sample (MedianStream, IirStream). Invalid parameters throw
// std::invalid_argument.
#pragma once

#include <cstddef>
#include <vector>

namespace legohar::runtime {

// Median of each sample's `width`-sample neighbourhood (width odd); the ends are padded by
// repeating the first and last sample.
std::vector<double> median_filter(const std::vector<double>& x, int width);

// IIR filter coefficients, a[0] == 1.
struct IirFilter {
  std::vector<double> b;
  std::vector<double> a;
};

// Digital Butterworth low-pass of `order` with its -3 dB point at `cutoff_hz` (0 < cutoff < fs/2).
IirFilter butterworth_lowpass(int order, double cutoff_hz, double sample_rate_hz);

// |H(e^{j 2 pi f / fs})|: the filter's magnitude response at frequency f.
double magnitude_response(const IirFilter& f, double freq_hz, double sample_rate_hz);

// One causal pass (direct form II transposed) from the initial state `zi` (size order, may be empty
// for zero state).
std::vector<double> lfilter(const IirFilter& f, const std::vector<double>& x,
                            std::vector<double> zi = {});

// The initial state of `lfilter` for a step response's steady state (scipy.signal.lfilter_zi).
std::vector<double> lfilter_steady_state(const IirFilter& f);

// Forward-backward filtering with odd extension of 3 * max(len(a), len(b)) samples at each end:
// zero phase, squared magnitude. Throws when x is not longer than the padding.
std::vector<double> filtfilt(const IirFilter& f, const std::vector<double>& x);
// The samples filtfilt pads each end with; x must be longer.
size_t filtfilt_padding(const IirFilter& f);

// Causal median: the median of the last `width` samples (width odd), the first sample standing in
// for those before it. Its output lags the centred median_filter by width / 2 samples.
class MedianStream {
 public:
  explicit MedianStream(int width);
  double step(double x);

 private:
  std::vector<double> ring_, sorted_;
  size_t next_ = 0;
  bool started_ = false;
};

// lfilter one sample at a time, starting in the steady state of the first sample (lfilter with
// zi = lfilter_steady_state(f) * x[0]), so a constant signal passes unchanged from its start.
class IirStream {
 public:
  explicit IirStream(IirFilter f);
  double step(double x);

 private:
  IirFilter f_;  // b and a padded to the same length
  std::vector<double> steady_, z_;
  bool started_ = false;
};

}  // namespace legohar::runtime
