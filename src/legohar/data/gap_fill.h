// Filling the gaps (NaN values) of multichannel recordings where sensors dropped samples: each
// channel on its own, linearly between the values around a gap.
#pragma once

#include <cstddef>

namespace legohar {

// Fills the NaN values of each channel of `samples` ([rows, channels] row-major): a run between
// two values linearly between them; with `hold_ends`, a run at the start or end with the nearest
// value, else such a run stays NaN, as does a channel without any value. Returns the values
// filled.
size_t fill_nan_gaps(float* samples, size_t rows, size_t channels, bool hold_ends);

}  // namespace legohar
