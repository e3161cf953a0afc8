#include "io/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "io/progress.hpp"

namespace mhwopt {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

// Light and dark follow the reader's setting; print is always light and keeps the bar colours.
constexpr const char* kStyle = R"css(
:root{--bg:#f4f5f7;--card:#fff;--ink:#1b2130;--muted:#5d6678;--line:#e1e5eb;--track:#e9ecf1;--accent:#2f6fde;
--over:#d13c3c;--up:#1f8a56;--down:#c4452f;--l1:#8a94a6;--l2:#2e9d6e;--l3:#2f6fde;--l4:#9447d9;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#12151a;--card:#1b1f26;--ink:#e7eaf0;--muted:#9aa3b3;--line:#2b313b;
--track:#2b313b;--accent:#5b92f0;--over:#f06262;--up:#4cc08a;--down:#f07a62}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:76rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.2;margin:0 0 .35rem}
h2{font-size:1.1rem;margin:2rem 0 .75rem}
.facts{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1.25rem;color:var(--muted);font-size:.875rem}
.facts li{overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:1.25rem 0 0}
.stat{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:.6rem .9rem}
.stat b{display:block;font-size:1.35rem;font-variant-numeric:tabular-nums}
.stat span{color:var(--muted);font-size:.8rem}
.panel{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem}
.hist svg{display:block;width:100%;height:9rem}
.hist rect{fill:var(--track)}
.hist rect.shown{fill:var(--accent)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem;font-variant-numeric:tabular-nums;margin-top:.35rem}
.note{color:var(--muted);font-size:.85rem;margin:.5rem 0 0}
.sets{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1rem}
.set{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem;break-inside:avoid;page-break-inside:avoid;min-width:0}
.set>header{display:flex;align-items:center;gap:.6rem;margin-bottom:.6rem}
.rank{display:inline-grid;place-items:center;min-width:2.2rem;height:2.2rem;padding:0 .4rem;border-radius:1.1rem;background:var(--ink);color:var(--card);font-weight:700}
.score{text-align:right;font-size:1.3rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.1}
.score small,.def small{display:block;font-size:.7rem;font-weight:400;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.def{margin-left:auto;text-align:right;font-variant-numeric:tabular-nums;font-weight:600;font-size:1.05rem;line-height:1.1;padding-right:.75rem;border-right:1px solid var(--line)}
.pieces{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;margin:0 0 .75rem}
.pieces dt{color:var(--muted);font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;padding-top:.15rem}
.pieces dd{margin:0;overflow-wrap:anywhere}
.slots{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;margin:0 0 .75rem;min-height:1.6rem}
.slots .label{color:var(--muted);font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;margin-right:.25rem}
.slot{display:inline-grid;place-items:center;width:1.45rem;height:1.45rem;border-radius:.35rem;transform:rotate(45deg);color:#fff;background:var(--l1);font-size:.72rem;font-weight:700}
.slot i{transform:rotate(-45deg);font-style:normal}
.slot.l2{background:var(--l2)}.slot.l3{background:var(--l3)}.slot.l4{background:var(--l4)}
.none,.more{color:var(--muted);font-size:.85rem}
.skills{list-style:none;margin:0;padding:0;display:grid;gap:.35rem}
.skill{display:grid;grid-template-columns:minmax(0,9.5rem) 1fr 5.2rem;align-items:center;gap:.6rem;font-size:.9rem}
.skill .name{overflow-wrap:anywhere}
.bar{height:.55rem;border-radius:1rem;background:var(--track);overflow:hidden}
.fill{display:block;height:100%;border-radius:inherit;background:var(--accent)}
.lvl{font-variant-numeric:tabular-nums;white-space:nowrap;font-size:.85rem;text-align:right}
.skill.over .fill{background:var(--over)}
.skill.over .lvl,.skill.over .name{color:var(--over);font-weight:700}
.decos{margin:.75rem 0 0;font-size:.85rem;color:var(--muted);overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.moves{overflow-x:auto}
.up{color:var(--up);font-weight:700}.down{color:var(--down);font-weight:700}.new{color:var(--accent);font-weight:700}.gone{color:var(--muted)}
footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
@media (max-width:30rem){main{padding:.75rem .6rem 2rem}h1{font-size:1.3rem}.skill{grid-template-columns:minmax(0,7rem) 1fr 5rem}}
@media print{:root{--bg:#fff;--card:#fff;--ink:#000;--muted:#444;--line:#bbb;--track:#e4e4e4}
body{font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}.sets{grid-template-columns:repeat(2,1fr);gap:.5rem}
.set,.panel,.stat{border-color:#bbb}.hist,.stats{break-inside:avoid}h2{break-after:avoid}}
)css";

// Up to three decimals, trailing zeros dropped: 102.206, 99.5, 87.
std::string number(double value) {
    std::string text = fmt::format("{:.3f}", value);
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text == "-0" ? "0" : text;
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

void write_histogram(std::ostream& out, const ReportData& report) {
    out << "<section aria-labelledby=\"h-dist\"><h2 id=\"h-dist\">Scores of all " << report.ranked_count
        << " ranked sets</h2><div class=\"panel hist\">";
    const std::size_t bins =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(report.all_scores.size())))), 1, 24);
    std::vector<double> shown_scores;
    for (const ReportSet& set : report.sets)
        if (set.score) shown_scores.push_back(*set.score);
    // The bins holding a shown set are coloured: in an unsorted file those need not be the top ones.
    const std::vector<HistogramBin> histogram = score_histogram(report.all_scores, bins, shown_scores);
    std::size_t tallest = 1;
    for (const HistogramBin& bin : histogram) tallest = std::max(tallest, bin.count);

    // The bars stretch to any width; the labels are HTML below, so they never shrink with it.
    const std::size_t width = histogram.size() * 10;
    out << "<svg viewBox=\"0 0 " << width << " 100\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Histogram of "
        << report.all_scores.size() << " scores\">";
    for (std::size_t b = 0; b < histogram.size(); ++b) {
        const HistogramBin& bin = histogram[b];
        const double height = bin.count == 0 ? 0.0 : std::max(1.5, 100.0 * static_cast<double>(bin.count) / static_cast<double>(tallest));
        const bool shown = bin.marked > 0;
        out << fmt::format("<rect class=\"bin{}\" data-count=\"{}\" x=\"{}\" y=\"{:.3f}\" width=\"9\" height=\"{:.3f}\"><title>{} sets scoring {} to {}</title></rect>",
                           shown ? " shown" : "", bin.count, b * 10 + 0.5, 100.0 - height, height, bin.count, number(bin.low), number(bin.high));
    }
    out << "</svg><div class=\"axis\"><span>" << number(histogram.front().low) << "</span><span>score</span><span>"
        << number(histogram.back().high) << "</span></div>";
    if (!shown_scores.empty())
        out << "<p class=\"note\">Coloured bars hold the " << report.sets.size() << " sets shown below.</p>";
    out << "</div></section>\n";
}

void write_skill(std::ostream& out, const ReportSkill& skill, int level, int highest) {
    const bool over = skill.max && level > *skill.max;
    const double fraction = bar_fraction(level, skill.max, highest);
    std::string label = std::to_string(level);
    if (skill.max) label += " / " + number(*skill.max);
    out << "<li class=\"skill" << (over ? " over" : "") << "\" data-level=\"" << level << "\"";
    if (skill.max) out << " data-max=\"" << number(*skill.max) << "\"";
    out << "><span class=\"name\">" << html_escape(skill.name) << "</span><span class=\"bar\" role=\"img\" aria-label=\""
        << html_escape(skill.name) << " level " << html_escape(label) << (over ? ", over the max" : "") << "\"><span class=\"fill\" style=\"width:"
        << percent(fraction) << "\"></span></span><span class=\"lvl\">" << html_escape(label)
        << (over ? " <abbr title=\"over the config's max\">over</abbr>" : "") << "</span></li>";
}

void write_set(std::ostream& out, const ReportData& report, const ReportSet& set, const std::vector<int>& highest) {
    out << "<article class=\"set\" data-rank=\"" << set.rank << "\"><header><span class=\"rank\" title=\"rank\">#" << set.rank << "</span>";
    out << "<span class=\"def\">" << set.defence << "<small>defence</small></span>";
    if (set.score) out << "<span class=\"score\">" << number(*set.score) << "<small>score</small></span>";
    out << "</header><dl class=\"pieces\">";
    for (Part part : kAllParts)
        out << "<dt>" << part_name(part) << "</dt><dd class=\"piece\">" << html_escape(set.pieces[index_of(part)]) << "</dd>";
    out << "</dl><div class=\"slots\"><span class=\"label\">Slots</span>";
    // At most kMaxSlotIcons icons, highest levels first; the rest as one "+N" with their levels.
    int drawn = 0;
    long long left_out = 0;
    std::string left_out_levels;
    for (std::size_t l = kSlotLevels; l-- > 0;) {
        const int here = std::min(set.slots[l], kMaxSlotIcons - drawn);
        for (int i = 0; i < here; ++i)
            out << "<span class=\"slot l" << l + 1 << "\" data-level=\"" << l + 1 << "\" title=\"level " << l + 1 << " slot\"><i>" << l + 1 << "</i></span>";
        drawn += here;
        if (set.slots[l] > here) {
            left_out += set.slots[l] - here;
            left_out_levels += fmt::format("{}{} of level {}", left_out_levels.empty() ? "" : ", ", set.slots[l] - here, l + 1);
        }
    }
    if (left_out > 0)
        out << "<span class=\"more\" data-count=\"" << left_out << "\" title=\"" << left_out_levels << " not drawn\">+" << left_out << "</span>";
    if (drawn == 0) out << "<span class=\"none\">none</span>";
    out << "</div><ul class=\"skills\">";
    // Skills the config caps first (what the player asked for), then the rest, each in column order;
    // at most kMaxSkillBars, the rest counted.
    std::size_t bars = 0, more = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t s = 0; s < report.skills.size(); ++s)
            if (set.levels[s] > 0 && report.skills[s].max.has_value() == (pass == 0)) {
                if (bars++ < kMaxSkillBars) write_skill(out, report.skills[s], set.levels[s], highest[s]);
                else ++more;
            }
    if (more > 0) out << "<li class=\"more\" data-count=\"" << more << "\">+" << more << " more skills</li>";
    out << "</ul>";
    if (!set.decorations.empty()) out << "<p class=\"decos\">Decorations: " << html_escape(set.decorations) << "</p>";
    out << "</article>\n";
}

void write_comparison(std::ostream& out, const ReportComparison& comparison) {
    std::size_t up = 0, down = 0, entered = 0, dropped = 0;
    for (const RankMove& m : comparison.moves) {
        if (!m.rank_before) ++entered;
        else if (!m.rank_after) ++dropped;
        else if (*m.rank_after < *m.rank_before) ++up;
        else if (*m.rank_after > *m.rank_before) ++down;
    }
    out << "<section aria-labelledby=\"h-moves\"><h2 id=\"h-moves\">What moved: " << html_escape(comparison.before_label) << " → "
        << html_escape(comparison.after_label) << "</h2>";
    if (!comparison.note.empty()) out << "<p class=\"note scoring\"><strong>Scored differently:</strong> " << html_escape(comparison.note) << ".</p>";
    out << "<p class=\"note\">" << up << " up, " << down << " down, " << entered << " new, "
        << dropped << " dropped out.</p><div class=\"panel moves\"><table><thead><tr><th class=\"num\">Now</th><th class=\"num\">Before</th>"
        << "<th class=\"num\">Move</th><th>Set</th><th class=\"num\">Score now</th><th class=\"num\">Score before</th></tr></thead><tbody>";
    for (const RankMove& m : comparison.moves) {
        const auto found = comparison.entries.find(m.identity);
        const ReportComparison::Entry empty;
        const ReportComparison::Entry& entry = found == comparison.entries.end() ? empty : found->second;
        std::string move = "<span>=</span>";
        if (!m.rank_before) move = "<span class=\"new\">new</span>";
        else if (!m.rank_after) move = "<span class=\"gone\">out</span>";
        else if (*m.rank_after < *m.rank_before) move = fmt::format("<span class=\"up\">▲ {}</span>", *m.rank_before - *m.rank_after);
        else if (*m.rank_after > *m.rank_before) move = fmt::format("<span class=\"down\">▼ {}</span>", *m.rank_after - *m.rank_before);
        out << "<tr class=\"move\"><td class=\"num\">" << (m.rank_after ? std::to_string(*m.rank_after) : "–") << "</td><td class=\"num\">"
            << (m.rank_before ? std::to_string(*m.rank_before) : "–") << "</td><td class=\"num\">" << move << "</td><td>"
            << html_escape(entry.description) << "</td><td class=\"num\">" << (entry.score_after ? number(*entry.score_after) : "")
            << "</td><td class=\"num\">" << (entry.score_before ? number(*entry.score_before) : "") << "</td></tr>";
    }
    out << "</tbody></table></div></section>\n";
}

}  // namespace

void write_html_report(std::ostream& out, const ReportData& report, const ReportComparison* comparison) {
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           // Belt and braces: even if a name slipped through unescaped, nothing may run or load.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
           "<meta name=\"generator\" content=\"mhwopt report\"><title>"
        << html_escape(report.title) << "</title><style>" << kStyle << "</style></head>\n<body><main><header><h1>" << html_escape(report.title)
        << "</h1><ul class=\"facts\">";
    for (const std::string& fact : report.facts) out << "<li>" << html_escape(fact) << "</li>";
    out << "</ul><div class=\"stats\"><div class=\"stat\"><b>" << report.ranked_count << "</b><span>ranked sets</span></div>"
        << "<div class=\"stat\"><b>" << report.sets.size() << "</b><span>shown below</span></div>";
    // The best score of every ranked set (a results file need not be sorted), else of those shown.
    std::optional<double> best;
    for (double score : report.all_scores) best = std::max(best.value_or(score), score);
    if (report.all_scores.empty())
        for (const ReportSet& set : report.sets)
            if (set.score) best = std::max(best.value_or(*set.score), *set.score);
    if (!report.sets.empty()) {
        if (best) out << "<div class=\"stat\"><b>" << number(*best) << "</b><span>best score</span></div>";
        int best_defence = 0;
        for (const ReportSet& set : report.sets) best_defence = std::max(best_defence, set.defence);
        out << "<div class=\"stat\"><b>" << best_defence << "</b><span>highest defence shown</span></div>";
    }
    out << "</div></header>\n";

    if (comparison) write_comparison(out, *comparison);
    if (!report.all_scores.empty()) write_histogram(out, report);

    std::vector<int> highest(report.skills.size(), 0);
    for (const ReportSet& set : report.sets)
        for (std::size_t s = 0; s < highest.size(); ++s) highest[s] = std::max(highest[s], set.levels[s]);
    // Ranks are the source's order: "best" only when its scores come best first.
    const bool sorted = best_first(report.all_scores);
    const std::string of = report.sets.size() < report.ranked_count ? " of " + with_thousands_separators(report.ranked_count) : "";
    out << "<section aria-labelledby=\"h-sets\"><h2 id=\"h-sets\">" << (sorted ? "The best " : "The first ") << report.sets.size() << of
        << " sets</h2>";
    if (!sorted)
        out << "<p class=\"note unsorted\">The file is not sorted by score (best first): these are its first rows, in its order, "
               "and the best score above is the highest of all rows.</p>";
    if (report.all_scores.empty())
        out << "<p class=\"note\">No scores: the source has no Score column; give the config (--config) to compute them.</p>";
    out << "<div class=\"sets\">\n";
    for (const ReportSet& set : report.sets) write_set(out, report, set, highest);
    out << "</div></section><footer>Skill bars are levels against the config's max (a red bar is over it); skills the config does not "
           "cap are drawn against the highest level shown. Written by mhwopt.</footer></main></body></html>\n";
}

}  // namespace mhwopt
