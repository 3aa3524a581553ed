// Implementation of include/legohar_runtime.h over runtime/model.h: no exception crosses the C
// boundary; each becomes a NULL or -1 and the thread's last error.
#include "legohar_runtime.h"

#include <algorithm>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/model.h"
#include "runtime/stream.h"

struct lh_model {
  legohar::runtime::Model model;
};

struct lh_stream {
  legohar::runtime::Stream stream;
  double sample_rate_hz;
  size_t inputs;
  std::vector<double> samples;              // the chunk being pushed, as doubles
  legohar::runtime::WindowPrediction last;  // what lh_stream_next handed out
};

namespace {

thread_local std::string last_error;

// f() with every exception turned into `failed` and the thread's last error.
template <class F, class R>
R guarded(F&& f, R failed) {
  try {
    last_error.clear();
    return f();
  } catch (const std::bad_alloc&) {
    last_error = "out of memory";
  } catch (const std::exception& e) {
    last_error = e.what();
  }
  return failed;
}

const char* name_at(const std::vector<std::string>& names, size_t i) {
  return i < names.size() ? names[i].c_str() : nullptr;
}

}  // namespace

extern "C" {

const char* lh_last_error(void) {
  return last_error.c_str();
}

lh_model* lh_model_load_file(const char* path) {
  return guarded(
      [&] {
        if (!path) throw std::invalid_argument("lh_model_load_file: path is NULL");
        return new lh_model{legohar::runtime::Model::load_file(path)};
      },
      static_cast<lh_model*>(nullptr));
}

lh_model* lh_model_load_buffer(const void* data, size_t size) {
  return guarded(
      [&] {
        if (!data) throw std::invalid_argument("lh_model_load_buffer: data is NULL");
        return new lh_model{legohar::runtime::Model::load_buffer(data, size)};
      },
      static_cast<lh_model*>(nullptr));
}

void lh_model_free(lh_model* model) {
  delete model;
}

size_t lh_model_classes(const lh_model* model) {
  return model ? model->model.class_names().size() : 0;
}
size_t lh_model_window(const lh_model* model) {
  return model ? model->model.window() : 0;
}
size_t lh_model_channels(const lh_model* model) {
  return model ? model->model.channels() : 0;
}
const char* lh_model_class_name(const lh_model* model, size_t i) {
  return model ? name_at(model->model.class_names(), i) : nullptr;
}
const char* lh_model_channel_name(const lh_model* model, size_t i) {
  return model ? name_at(model->model.channel_names(), i) : nullptr;
}

int lh_model_predict(lh_model* model, const float* windows, size_t count, float* probabilities) {
  return guarded(
      [&] {
        if (!model || !windows || !probabilities)
          throw std::invalid_argument("lh_model_predict: a NULL argument");
        if (count == 0) throw std::invalid_argument("lh_model_predict: no window (count 0)");
        legohar::runtime::Model& m = model->model;
        const size_t classes = m.class_names().size();
        m.predict(windows, count, probabilities);
        const float* last = probabilities + (count - 1) * classes;
        return static_cast<int>(std::max_element(last, last + classes) - last);
      },
      -1);
}

int lh_model_set_threads(lh_model* model, size_t threads) {
  return guarded(
      [&] {
        if (!model) throw std::invalid_argument("lh_model_set_threads: model is NULL");
        if (threads == 0) throw std::invalid_argument("lh_model_set_threads: threads is 0");
        model->model.set_threads(threads);
        return 0;
      },
      -1);
}

size_t lh_model_inputs(const lh_model* model) {
  return model ? model->model.input_names().size() : 0;
}
const char* lh_model_input_name(const lh_model* model, size_t i) {
  return model ? name_at(model->model.input_names(), i) : nullptr;
}
size_t lh_model_step(const lh_model* model) {
  return model ? model->model.step() : 0;
}
double lh_model_sample_rate(const lh_model* model) {
  return model ? model->model.sample_rate_hz() : 0.0;
}

lh_stream* lh_stream_create(lh_model* model, size_t history, size_t lookahead) {
  return lh_stream_create_at(model, history, lookahead, 0);
}

lh_stream* lh_stream_create_at(lh_model* model, size_t history, size_t lookahead,
                               double input_rate_hz) {
  return guarded(
      [&] {
        if (!model) throw std::invalid_argument("lh_stream_create: model is NULL");
        legohar::runtime::Model& m = model->model;
        return new lh_stream{legohar::runtime::Stream(m, {history, lookahead, input_rate_hz}),
                             m.sample_rate_hz(),
                             m.input_names().size(),
                             {},
                             {}};
      },
      static_cast<lh_stream*>(nullptr));
}

void lh_stream_free(lh_stream* stream) {
  delete stream;
}

int lh_stream_push(lh_stream* stream, const float* samples, size_t count) {
  return guarded(
      [&] {
        if (!stream || (!samples && count > 0))
          throw std::invalid_argument("lh_stream_push: a NULL argument");
        stream->samples.assign(samples, samples + count * stream->inputs);
        return static_cast<int>(stream->stream.push(stream->samples.data(), count));
      },
      -1);
}

int lh_stream_next(lh_stream* stream, lh_prediction* out) {
  return guarded(
      [&] {
        if (!stream || !out) throw std::invalid_argument("lh_stream_next: a NULL argument");
        if (!stream->stream.next(stream->last)) return 0;
        const legohar::runtime::WindowPrediction& p = stream->last;
        out->start = p.start;
        out->time_s = stream->sample_rate_hz > 0
                          ? static_cast<double>(p.start) / stream->sample_rate_hz
                          : -1.0;
        out->top = static_cast<int>(p.top);
        out->probabilities = p.probabilities.data();
        return 1;
      },
      -1);
}

}  // extern "C"
