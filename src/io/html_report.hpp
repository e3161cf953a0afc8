#pragma once
// One self-contained HTML page from a ReportData: inline CSS and SVG, no script, no network, no
// fonts beyond the reader's own. Every text from the data is escaped: names are user data.
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace mhwopt {

// & < > " ' as character references: safe in element content and in quoted attribute values.
std::string html_escape(std::string_view text);

// Two saved rankings side by side: which sets moved, entered or dropped out.
struct ReportComparison {
    std::string before_label;  // "score run 2 (config.json)"
    std::string after_label;
    std::string note;  // said above the table when set: the runs scored differently
    std::vector<RankMove> moves;
    struct Entry {
        std::string description;  // the six piece names
        std::optional<double> score_before;
        std::optional<double> score_after;
    };
    std::map<std::string, Entry> entries;  // by RankMove::identity
};

void write_html_report(std::ostream& out, const ReportData& report, const ReportComparison* comparison = nullptr);

}  // namespace mhwopt
