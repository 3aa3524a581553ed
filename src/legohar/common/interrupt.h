// Graceful interruption: SIGINT and SIGTERM set a flag that long loops (the trainer, between
// steps) poll, so a run stops at a step boundary with nothing half-written and says how to resume.
// The command line installs the handlers; a library user who does not keeps the default signals.
#pragma once

#include <stdexcept>
#include <string>

namespace legohar {

// Routes SIGINT and SIGTERM to the flag below (a second signal of either kind terminates at once,
// as without handlers).
void install_interrupt_handlers();
// The signal that arrived since the handlers were installed, or 0.
int pending_interrupt();

// Thrown where a loop notices a pending interrupt; `signal` is SIGINT or SIGTERM.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, const std::string& what) : std::runtime_error(what), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

}  // namespace legohar
