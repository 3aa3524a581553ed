// Graceful interruption: SIGINT and SIGTERM set a flag that long loops (the trainer, between
// steps) poll and answer with Error::interrupted (common/error.h), so a run stops at a step
// boundary with nothing half-written and says how to resume.
// The command line installs the handlers; a library user who does not keeps the default signals.
#pragma once

namespace legohar {

// Routes SIGINT and SIGTERM to the flag below (a second signal of either kind terminates at once,
// as without handlers).
void install_interrupt_handlers();
// The signal that arrived since the handlers were installed, or 0.
int pending_interrupt();

}  // namespace legohar
