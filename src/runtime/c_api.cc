// Implementation of include/legohar_runtime.h over runtime/model.h: no exception crosses the C
// boundary; each becomes a NULL or -1 and the thread's last error.
#include "legohar_runtime.h"

#include <algorithm>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "runtime/model.h"

struct lh_model {
  legohar::runtime::Model model;
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
        const size_t values = m.window() * m.channels(), classes = m.class_names().size();
        for (size_t i = 0; i < count; ++i)
          m.predict(windows + i * values, probabilities + i * classes);
        const float* last = probabilities + (count - 1) * classes;
        return static_cast<int>(std::max_element(last, last + classes) - last);
      },
      -1);
}

}  // extern "C"
