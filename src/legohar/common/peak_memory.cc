// Implementation of peak_memory.h.
#include "legohar/common/peak_memory.h"

#include <sys/resource.h>

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

double peak_resident_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    double kib = 0;
    if (fields >> kib) return kib / 1024.0;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace legohar
