#pragma once
// Every combination key a generation stores, in ascending order, handed to a sink one at a time.
// The sink is the seam between what to store and how: the CombinationWriter batches keys into the
// database; another producer (e.g. a top-N search) can feed the same writer its own keys.
#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "core/filters.hpp"

namespace mhwopt::db {

class KeySink {
public:
    virtual ~KeySink() = default;
    virtual void accept(CombinationKey key) = 0;  // keys arrive strictly ascending
};

// Offers every key >= from that the filters allow, ascending. Subtrees that cannot reach the
// defence floor or a required skill level are skipped without visiting their keys.
void enumerate_keys(const Catalogue& catalogue, const ResolvedFilters& filters, CombinationKey from, KeySink& sink);

// True when the filters let every combination through (so the expected count is the product).
bool allows_everything(const ResolvedFilters& filters);

}  // namespace mhwopt::db
