// Implementation of interrupt.h with std::signal and a lock-free atomic flag.
#include "legohar/common/interrupt.h"

#include <atomic>
#include <csignal>

namespace legohar {

static std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free,
              "the handler may only touch lock-free atomics");

extern "C" void legohar_on_interrupt(int signal) {
  if (g_signal.exchange(signal) != 0) {  // the second one: stop now
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

void install_interrupt_handlers() {
  std::signal(SIGINT, legohar_on_interrupt);
  std::signal(SIGTERM, legohar_on_interrupt);
}

int pending_interrupt() {
  return g_signal.load();
}

}  // namespace legohar
