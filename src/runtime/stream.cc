// Implementation of stream.h.
#include "runtime/stream.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace legohar::runtime {

Stream::Stream(Model& model, StreamOptions options)
    : model_(model),
      options_(options),
      inputs_(model.input_names().size()),
      channels_(model.channels()),
      window_(model.window()),
      step_(model.step()),
      lookahead_(0) {
  if (const UciHarFilters* f = model.filters()) {
    if (f->causal) {
      causal_.emplace(*f);
    } else {
      zero_phase_ = true;
      lookahead_ = options.lookahead;
      const size_t pad =
          filtfilt_padding(butterworth_lowpass(f->order, f->noise_cutoff_hz, f->sample_rate_hz));
      if (window_ + lookahead_ <= pad)
        throw std::invalid_argument("stream: a window of " + std::to_string(window_) +
                                    " samples plus " + std::to_string(lookahead_) +
                                    " of lookahead is too short for zero-phase filters (" +
                                    std::to_string(pad) + " samples of padding)");
    }
  }
  const double rate = model.sample_rate_hz();
  if (options.input_rate_hz != 0 && options.input_rate_hz != rate) {
    if (rate == 0)
      throw std::invalid_argument(
          "stream: the model does not record its sample rate, so samples at " +
          std::to_string(options.input_rate_hz) + " Hz cannot be resampled to it");
    resampler_.emplace(options.input_rate_hz, rate, inputs_);
  }
  ring_.resize(window_ * channels_);
  window_values_.resize(window_ * channels_);
  probabilities_.resize(model.class_names().size());
}

size_t Stream::push(const double* samples, size_t count) {
  if (count > 0 && !samples) throw std::invalid_argument("stream: samples is NULL");
  for (size_t i = 0; i < count * inputs_; ++i)
    if (!std::isfinite(samples[i]))
      throw std::invalid_argument("stream: sample " + std::to_string(received_ + i / inputs_) +
                                  " value " + std::to_string(i % inputs_ + 1) +
                                  " is not finite; nothing of this chunk was taken");
  size_t completed = 0;
  for (size_t i = 0; i < count; ++i, ++received_) {
    const double* raw = samples + i * inputs_;
    if (!resampler_) {
      completed += take(raw);
      continue;
    }
    resampled_.clear();
    const size_t n = resampler_->push(raw, resampled_);
    for (size_t k = 0; k < n; ++k) completed += take(&resampled_[k * inputs_]);
  }
  return completed;
}

bool Stream::take(const double* raw) {
  if (zero_phase_) {
    raw_.insert(raw_.end(), raw, raw + inputs_);
  } else {
    float* row = &ring_[(seen_ % window_) * channels_];
    if (causal_)
      causal_->step(raw, row);
    else
      for (size_t c = 0; c < channels_; ++c) row[c] = static_cast<float>(raw[c]);
  }
  ++seen_;
  if (seen_ != next_start_ + window_ + lookahead_) return false;
  complete(next_start_);
  next_start_ += step_;
  return true;
}

const float* Stream::zero_phase_window(uint64_t start) {
  const uint64_t begin = start > options_.history ? start - options_.history : 0;
  const std::vector<float> channels =
      uci_har_channels(&raw_[static_cast<size_t>(begin - raw_begin_) * inputs_],
                       static_cast<size_t>(seen_ - begin), *model_.filters());
  const size_t first = static_cast<size_t>(start - begin);
  std::copy_n(&channels[first * channels_], window_ * channels_, window_values_.data());
  // Keep only what the next window's history needs (dropped in blocks, not per window).
  const uint64_t next = start + step_, keep = next > options_.history ? next - options_.history : 0;
  if (keep > raw_begin_ + window_) {
    raw_.erase(raw_.begin(),
               raw_.begin() + static_cast<std::ptrdiff_t>((keep - raw_begin_) * inputs_));
    raw_begin_ = keep;
  }
  return window_values_.data();
}

void Stream::complete(uint64_t start) {
  const float* values = window_values_.data();
  if (zero_phase_) {
    values = zero_phase_window(start);
  } else {
    for (size_t t = 0; t < window_; ++t)
      std::copy_n(&ring_[((start + t) % window_) * channels_], channels_,
                  &window_values_[t * channels_]);
  }
  model_.predict(values, probabilities_.data());
  WindowPrediction p;
  p.start = start;
  p.top = static_cast<size_t>(std::max_element(probabilities_.begin(), probabilities_.end()) -
                              probabilities_.begin());
  p.probabilities = probabilities_;
  ready_.push_back(std::move(p));
}

bool Stream::next(WindowPrediction& out) {
  if (ready_.empty()) return false;
  out = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

}  // namespace legohar::runtime
