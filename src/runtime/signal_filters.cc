// Implementation of signal_filters.h.
#include "runtime/signal_filters.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <string>

namespace legohar::runtime {

std::vector<double> median_filter(const std::vector<double>& x, int width) {
  if (width < 1 || width % 2 == 0) throw std::invalid_argument("median width must be odd");
  const int n = static_cast<int>(x.size());
  const int half = width / 2;
  std::vector<double> out(x.size());
  std::vector<double> win(width);
  for (int i = 0; i < n; ++i) {
    for (int j = -half; j <= half; ++j) win[j + half] = x[std::clamp(i + j, 0, n - 1)];
    std::nth_element(win.begin(), win.begin() + half, win.end());
    out[i] = win[half];
  }
  return out;
}

// Coefficients of prod (z - r) for the given roots, highest power first; real parts only.
static std::vector<double> poly_from_roots(const std::vector<std::complex<double>>& roots) {
  std::vector<std::complex<double>> c{1.0};
  for (const auto& r : roots) {
    std::vector<std::complex<double>> next(c.size() + 1, 0.0);
    for (size_t i = 0; i < c.size(); ++i) {
      next[i] += c[i];
      next[i + 1] -= c[i] * r;
    }
    c = std::move(next);
  }
  std::vector<double> out;
  for (const auto& v : c) out.push_back(v.real());
  return out;
}

IirFilter butterworth_lowpass(int order, double cutoff_hz, double fs) {
  if (order < 1) throw std::invalid_argument("Butterworth order must be >= 1");
  if (!(cutoff_hz > 0 && cutoff_hz < fs / 2))
    throw std::invalid_argument("Butterworth cut-off must lie strictly between 0 and fs/2");
  const double pi = std::acos(-1.0);
  // Pre-warped analogue cut-off, then the bilinear transform s = 2 fs (z - 1) / (z + 1).
  const double warped = 2.0 * fs * std::tan(pi * cutoff_hz / fs);
  std::vector<std::complex<double>> poles, zeros(order, -1.0);
  std::complex<double> analog_gain = std::pow(warped, order);
  std::complex<double> denom = 1.0;
  for (int k = 0; k < order; ++k) {
    const double theta = pi * (2.0 * k + order + 1) / (2.0 * order);
    const std::complex<double> s = warped * std::polar(1.0, theta);
    poles.push_back((2.0 * fs + s) / (2.0 * fs - s));
    denom *= (2.0 * fs - s);
  }
  const double gain = (analog_gain / denom).real();
  IirFilter f;
  f.b = poly_from_roots(zeros);
  for (double& v : f.b) v *= gain;
  f.a = poly_from_roots(poles);
  return f;
}

double magnitude_response(const IirFilter& f, double freq_hz, double fs) {
  const double w = 2.0 * std::acos(-1.0) * freq_hz / fs;
  auto eval = [&](const std::vector<double>& c) {
    std::complex<double> sum = 0.0;
    for (size_t i = 0; i < c.size(); ++i)
      sum += c[i] * std::polar(1.0, -w * static_cast<double>(i));
    return sum;
  };
  return std::abs(eval(f.b) / eval(f.a));
}

namespace {

// b and a zero-padded to one length n (the state holds n - 1 values).
IirFilter same_length(IirFilter f) {
  const size_t n = std::max(f.a.size(), f.b.size());
  f.b.resize(n, 0.0);
  f.a.resize(n, 0.0);
  return f;
}

// One sample of direct form II transposed; f from same_length, z of size n - 1.
double df2t_step(const IirFilter& f, std::vector<double>& z, double x) {
  const size_t n = f.b.size();
  if (n == 1) return f.b[0] * x;
  const double y = f.b[0] * x + z[0];
  for (size_t i = 1; i + 1 < n; ++i) z[i - 1] = f.b[i] * x - f.a[i] * y + z[i];
  z[n - 2] = f.b[n - 1] * x - f.a[n - 1] * y;
  return y;
}

}  // namespace

std::vector<double> lfilter(const IirFilter& filter, const std::vector<double>& x,
                            std::vector<double> z) {
  const IirFilter f = same_length(filter);
  z.resize(f.b.size() - 1, 0.0);
  std::vector<double> y(x.size());
  for (size_t t = 0; t < x.size(); ++t) y[t] = df2t_step(f, z, x[t]);
  return y;
}

std::vector<double> lfilter_steady_state(const IirFilter& f) {
  // Solve (I - A^T) zi = b[1:] - a[1:] b[0], A the companion matrix of a (scipy's lfilter_zi).
  const IirFilter padded = same_length(f);
  const std::vector<double>&b = padded.b, &a = padded.a;
  const size_t m = b.size() - 1;
  std::vector<double> mat(m * m, 0.0), rhs(m);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < m; ++j) {
      // companion(a)[j][i]: first row -a[1:], ones on the sub-diagonal.
      double comp_ji = (j == 0) ? -a[i + 1] : (i == j - 1 ? 1.0 : 0.0);
      mat[i * m + j] = (i == j ? 1.0 : 0.0) - comp_ji;
    }
    rhs[i] = b[i + 1] - a[i + 1] * b[0];
  }
  // Gaussian elimination with partial pivoting.
  for (size_t c = 0; c < m; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < m; ++r)
      if (std::abs(mat[r * m + c]) > std::abs(mat[piv * m + c])) piv = r;
    for (size_t j = 0; j < m; ++j) std::swap(mat[c * m + j], mat[piv * m + j]);
    std::swap(rhs[c], rhs[piv]);
    for (size_t r = c + 1; r < m; ++r) {
      const double factor = mat[r * m + c] / mat[c * m + c];
      for (size_t j = c; j < m; ++j) mat[r * m + j] -= factor * mat[c * m + j];
      rhs[r] -= factor * rhs[c];
    }
  }
  std::vector<double> zi(m);
  for (size_t c = m; c-- > 0;) {
    double s = rhs[c];
    for (size_t j = c + 1; j < m; ++j) s -= mat[c * m + j] * zi[j];
    zi[c] = s / mat[c * m + c];
  }
  return zi;
}

size_t filtfilt_padding(const IirFilter& f) {
  return 3 * std::max(f.a.size(), f.b.size());
}

std::vector<double> filtfilt(const IirFilter& f, const std::vector<double>& x) {
  const size_t pad = filtfilt_padding(f);
  if (x.size() <= pad)
    throw std::invalid_argument("signal of " + std::to_string(x.size()) +
                                " samples is too short for filtfilt padding of " +
                                std::to_string(pad));
  const size_t n = x.size();
  std::vector<double> ext;
  ext.reserve(n + 2 * pad);
  for (size_t i = pad; i >= 1; --i) ext.push_back(2.0 * x[0] - x[i]);
  ext.insert(ext.end(), x.begin(), x.end());
  for (size_t i = 1; i <= pad; ++i) ext.push_back(2.0 * x[n - 1] - x[n - 1 - i]);

  const std::vector<double> zi = lfilter_steady_state(f);
  auto scaled = [&](double s) {
    std::vector<double> z(zi);
    for (double& v : z) v *= s;
    return z;
  };
  std::vector<double> y = lfilter(f, ext, scaled(ext.front()));
  std::reverse(y.begin(), y.end());
  y = lfilter(f, y, scaled(y.front()));
  std::reverse(y.begin(), y.end());
  return std::vector<double>(y.begin() + pad, y.end() - pad);
}

MedianStream::MedianStream(int width) {
  if (width < 1 || width % 2 == 0) throw std::invalid_argument("median width must be odd");
  ring_.resize(static_cast<size_t>(width));
  sorted_.resize(ring_.size());
}

double MedianStream::step(double x) {
  if (!started_) {
    std::fill(ring_.begin(), ring_.end(), x);
    started_ = true;
  }
  ring_[next_] = x;
  next_ = (next_ + 1) % ring_.size();
  sorted_ = ring_;
  const auto mid = sorted_.begin() + static_cast<std::ptrdiff_t>(sorted_.size() / 2);
  std::nth_element(sorted_.begin(), mid, sorted_.end());
  return *mid;
}

IirStream::IirStream(IirFilter f)
    : f_(same_length(std::move(f))), steady_(lfilter_steady_state(f_)), z_(steady_.size()) {}

double IirStream::step(double x) {
  if (!started_) {
    for (size_t i = 0; i < z_.size(); ++i) z_[i] = steady_[i] * x;
    started_ = true;
  }
  return df2t_step(f_, z_, x);
}

}  // namespace legohar::runtime
