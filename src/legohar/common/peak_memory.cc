// Implementation of peak_memory.h.
#include "legohar/common/peak_memory.h"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace legohar {

bool reset_peak_resident_memory() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";  // resets the peak resident set size (VmHWM), Linux >= 4.0
  clear.flush();
  return static_cast<bool>(clear);
}

namespace {
// The value of a "Key:   N kB" line of /proc/self/status, in MiB; negative when absent.
double status_mb(const std::string& key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream fields(line.substr(key.size()));
    double kib = 0;
    if (fields >> kib) return kib / 1024.0;
  }
  return -1;
}
}  // namespace

double resident_mb() {
  return std::max(0.0, status_mb("VmRSS:"));
}

double peak_resident_mb() {
  if (const double mb = status_mb("VmHWM:"); mb >= 0) return mb;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace legohar
