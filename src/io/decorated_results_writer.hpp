#pragma once
// The output CSV when decorations or weapon slots are in use (issue 10): the usual columns, skill
// columns showing t_s (pieces, set bonuses and decorations, capped), the slot columns counting the
// set's slots with the weapon's, then `Decorations` (the placement: `NAME` or `NAME xN`, in the
// decoration list's order, joined by "; ") and `Score` (shortest text that reads back as the same double).
#include <ostream>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/placement.hpp"
#include "io/results_writer.hpp"

namespace mhwopt {

struct DecoratedRow {
    Positions positions;
    Placement placement;
};

// The Decorations column's text for a placement: `NAME` or `NAME xN`, in the list's order, joined
// by "; " (empty when nothing is placed). The SQL function placement() returns the same text.
std::string placement_text(const std::vector<Decoration>& decorations, const Placement& placement);

void write_decorated_results_csv(std::ostream& out, const Catalogue& catalogue, const std::vector<Decoration>& decorations,
                                 const WeaponSlots& weapon, const std::vector<DecoratedRow>& rows);

// The same rows as named cells, for the other output formats (`score --decorations --json/--table`):
// the CSV's columns, numbers as integers, Score as a real.
void print_decorated_results(RowPrinterFactory make_printer, const Catalogue& catalogue, const std::vector<Decoration>& decorations,
                             const WeaponSlots& weapon, const std::vector<DecoratedRow>& rows);

}  // namespace mhwopt
