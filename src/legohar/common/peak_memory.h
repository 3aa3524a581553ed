// The peak resident memory of this process, and resetting it so that one run of several in a
// process (an experiment) is measured on its own. Linux: /proc/self/status VmHWM, reset through
// /proc/self/clear_refs; elsewhere getrusage's lifetime peak, which cannot be reset.
#pragma once

namespace legohar {

// Starts a new peak-memory measurement; false when the peak cannot be reset here (the next
// peak_resident_mb() is then the process's lifetime peak).
bool reset_peak_resident_memory();

// The peak resident memory since the last reset (or since the process started), in MiB.
double peak_resident_mb();

// The resident memory now, in MiB (0 where /proc/self/status is not available). At the start of a
// run it says how much of the run's peak was resident before: memory an earlier run of the same
// process freed but the allocator keeps mapped (see allocator.h) counts in both.
double resident_mb();

}  // namespace legohar
