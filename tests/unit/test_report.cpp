// The report's model (bar fractions, histogram, rank moves), its CSV reader and its HTML escaping.
// What the page looks like is tested in a real browser: tests/e2e/test_report.sh.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/report.hpp"
#include "io/config_reader.hpp"
#include "io/html_report.hpp"
#include "io/progress.hpp"
#include "io/results_reader.hpp"

using namespace mhwopt;

namespace {

ReportData read(const std::string& text, std::size_t keep = 20, const Config* config = nullptr) {
    std::istringstream in(text);
    ResultsReadOptions options;
    options.keep = keep;
    options.config = config;
    return read_results_report(in, "best.csv", options, {});
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const DataError& e) {
        return e.what();
    }
    return "no error";
}

const std::string kHeader = "Head,Body,Arms,Waist,Legs,Charm,Attack Boost,Wide-range,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,"
                            "Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence\n";

}  // namespace

TEST_CASE("a skill bar is the level against the config's max, else against the highest level shown", "[report]") {
    CHECK(bar_fraction(6, 7.0, 99) == Approx(6.0 / 7.0));
    CHECK(bar_fraction(9, 7.0, 9) == 1.0);  // over the max: full (and marked over by the page)
    CHECK(bar_fraction(2, std::nullopt, 4) == Approx(0.5));
    CHECK(bar_fraction(0, 7.0, 4) == 0.0);
    CHECK(bar_fraction(3, 0.0, 6) == Approx(0.5));  // a max of 0 cannot scale a bar
    CHECK(bar_fraction(3, std::nullopt, 0) == 0.0);
}

TEST_CASE("the histogram puts every score in one bin, the top score in the last", "[report]") {
    const std::vector<double> scores{1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0};
    const auto bins = score_histogram(scores, 4);
    REQUIRE(bins.size() == 4);
    CHECK(bins.front().low == 1.0);
    CHECK(bins.back().high == 5.0);
    std::vector<std::size_t> counts;
    for (const auto& b : bins) counts.push_back(b.count);
    CHECK(counts == std::vector<std::size_t>{2, 2, 1, 2});  // [1,2) [2,3) [3,4) [4,5]
    const auto flat = score_histogram({7.0, 7.0, 7.0}, 5);
    REQUIRE(flat.size() == 1);
    CHECK(flat[0].count == 3);
    CHECK(score_histogram({}, 5).empty());
}

TEST_CASE("the histogram counts the shown sets' scores into the bins of all scores, wherever they are", "[report]") {
    // An unsorted file shows its first rows: their scores need not be the top bins.
    const auto bins = score_histogram({1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0}, 4, {1.5, 5.0, 2.0});
    std::vector<std::size_t> marked;
    for (const auto& b : bins) marked.push_back(b.marked);
    CHECK(marked == std::vector<std::size_t>{1, 1, 0, 1});
    CHECK(score_histogram({7.0, 7.0}, 3, {7.0})[0].marked == 1);
    CHECK(best_first({9.0, 9.0, 4.5, -1.0}));
    CHECK_FALSE(best_first({3.0, 9.25, 4.0}));
    CHECK(best_first({}));
}

TEST_CASE("comparing rankings lists moves, new sets and the ones that dropped out", "[report]") {
    const auto moves = compare_rankings({"a", "b", "c", "d"}, {"b", "a", "e", "c"});
    REQUIRE(moves.size() == 5);
    CHECK(moves[0].identity == "b");
    CHECK(*moves[0].rank_before == 2);
    CHECK(*moves[0].rank_after == 1);
    CHECK(moves[2].identity == "e");
    CHECK_FALSE(moves[2].rank_before);
    CHECK(*moves[3].rank_before == 3);
    CHECK(*moves[3].rank_after == 4);
    CHECK(moves[4].identity == "d");
    CHECK_FALSE(moves[4].rank_after);
}

TEST_CASE("every markup character of a name is escaped", "[report]") {
    CHECK(html_escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    CHECK(html_escape("Tom & \"Jerry\"") == "Tom &amp; &quot;Jerry&quot;");
    CHECK(html_escape("Glutton\xE2\x80\x99s Charm") == "Glutton\xE2\x80\x99s Charm");

    ReportData data = read(kHeader + "<script>alert(1)</script>,B,\"<img src=x onerror=alert(1)>\",W,L,C,1,0,0,0,0,0,10\n");
    data.title = "</title><script>";
    data.facts.push_back("<b>fact</b>");
    std::ostringstream html;
    write_html_report(html, data);
    const std::string page = html.str();
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("<b>fact") == std::string::npos);
    CHECK(page.find("&lt;/title&gt;&lt;script&gt;") != std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE("a run CSV is read by column name, scores computed with the config", "[report]") {
    const std::string golden = std::string(MHWOPT_SOURCE_DIR) + "/example_data/expected_config.csv";
    std::ifstream in(golden, std::ios::binary);
    REQUIRE(in);
    const Config config = read_config_file(std::string(MHWOPT_SOURCE_DIR) + "/example_data/config.json", {});
    ResultsReadOptions options;
    options.keep = 3;
    options.config = &config;
    const ReportData report = read_results_report(in, golden, options, {});
    CHECK(report.ranked_count == 20);
    CHECK(report.sets.size() == 3);
    CHECK(report.all_scores.size() == 20);
    const ReportSet& best = report.sets.front();
    CHECK(best.rank == 1);
    CHECK(best.pieces[0] == "Odogaron Helm");
    CHECK(best.pieces[5] == "Charm of Attack");
    CHECK(best.slots == std::array<int, 4>{1, 0, 1, 0});
    CHECK(best.defence == 230);
    // By the README's formula with example_data/config.json: Attack Boost 6 x 3.0, Critical Eye
    // 7 x 2.5, Wide-range 1 x 1.0 (not in the config), slots 1 x 1.0 + 1 x 2.0 + 2 x 0.5, defence 230 x 0.0625.
    REQUIRE(best.score);
    CHECK(*best.score == Approx(18.0 + 17.5 + 1.0 + 4.0 + 14.375));
    REQUIRE(report.skills.size() == 5);
    CHECK(report.skills[0].name == "Attack Boost");
    CHECK(*report.skills[0].max == 7.0);
    CHECK_FALSE(report.skills[4].max);  // Wide-range: the config does not name it
}

TEST_CASE("a Score column is taken as it is, Decorations shown, config names matched as the output writes them", "[report]") {
    Config config;
    config.skills.push_back({"Wide-Range", SkillRule{2.0, 1.0, 0.0}});
    const ReportData report = read("Score,Head,Body,Arms,Waist,Legs,Charm,Wide-range,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,"
                                   "Lvl 3 Decoration Slot,Lvl 4 Decoration Slot,Defence,Decorations\n"
                                   "99.5,H,B,A,W,L,C,3,1,0,0,0,100,Attack Jewel 1 x2\n"
                                   "12,H2,B,A,W,L,C,0,0,0,0,0,90,\n",
                                   1, &config);
    CHECK(report.ranked_count == 2);
    REQUIRE(report.sets.size() == 1);
    CHECK(*report.sets[0].score == 99.5);
    CHECK(report.all_scores == std::vector<double>{99.5, 12.0});
    CHECK(report.sets[0].decorations == "Attack Jewel 1 x2");
    REQUIRE(report.skills.size() == 1);
    CHECK(*report.skills[0].max == 2.0);
}

TEST_CASE("without a config or a Score column there are no scores", "[report]") {
    const ReportData report = read(kHeader + "H,B,A,W,L,C,1,0,0,0,0,0,10\n");
    CHECK(report.all_scores.empty());
    CHECK_FALSE(report.sets[0].score);
}

TEST_CASE("a bad results file is reported at its line and column", "[report]") {
    CHECK(error_of("") == "best.csv:1:1: found an empty file, expected the header of `mhwopt run`'s output: Head,Body,Arms,Waist,Legs,"
                          "Charm, skill columns, Lvl 1 Decoration Slot .. Lvl 4 Decoration Slot, Defence");
    CHECK_THAT(error_of("Head,Body,Arms,Waist,Legs,Charm,Lvl 1 Decoration Slot,Lvl 2 Decoration Slot,Lvl 3 Decoration Slot,Lvl 4 Decoration Slot\n"),
               Catch::StartsWith("best.csv:1:1: found no column \"Defence\", expected the header"));
    CHECK(error_of(kHeader + "H,B,A,W,L,C,x,0,0,0,0,0,10\n") ==
          "best.csv:2:13: found \"x\", expected a skill level (a whole number, 0 or more)");
    CHECK(error_of(kHeader + "H,B,A,W,L,C,1,0,0,0,0,0,-5\n") ==
          "best.csv:2:25: found \"-5\", expected a defence (a whole number, 0 or more)");
    CHECK(error_of(kHeader + "H,B,A,W,L,C,1,0,0,0,0,0\n") == "best.csv:2:24: found 12 cells, expected 13 as the header has");
    CHECK_THAT(error_of("Head,Head\n"), Catch::StartsWith("best.csv:1:6: found the column \"Head\" a second time"));
}

TEST_CASE("the progress bar shows the rate and the time left; piped, a line a tenth; quiet, nothing", "[progress]") {
    CHECK(ProgressBar::bar_line("Scoring", 250, 1000, 2.0, ProgressUnit::Items) ==
          "Scoring  [\u2588\u2588\u2588\u2588\u2588\u2588\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591"
          "\u2591\u2591\u2591\u2591]   25%  250/1,000  125/s  6 s left");
    CHECK(ProgressBar::duration_text(185) == "3 min 05 s");
    CHECK(ProgressBar::duration_text(7620) == "2 h 07 min");
    CHECK(ProgressBar::rate_text(4.56e6, ProgressUnit::Items) == "4.56M/s");
    CHECK(ProgressBar::rate_text(3.2e6, ProgressUnit::Bytes) == "3.2 MB/s");

    double now = 0.0;
    std::FILE* piped = std::tmpfile();
    REQUIRE(piped);
    {
        ProgressBar bar(piped, ProgressMode::FinalLineOnly, "Work", 100, ProgressUnit::Items, [&] { return now; });
        for (int done = 1; done <= 100; ++done) {
            now = done * 0.5;
            bar.update(static_cast<std::uint64_t>(done));
        }
        bar.finish();
    }
    std::rewind(piped);
    std::vector<std::string> lines;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, piped)) lines.emplace_back(buffer);
    std::fclose(piped);
    REQUIRE(lines.size() == 10);  // 10%..90%, then the final line
    CHECK(lines[0] == "Work: 10% (10 of 100, 2/s, about 45 s left)\n");
    CHECK(lines[9] == "Work: done, 100 in 50 s (2/s)\n");

    // A walk measured by its position and counting what it keeps (a filtered generation: its place
    // in the id range, the rows it stored): the fraction and the time left by the position, the
    // numbers and the rate by the count, never the position as a number of things done.
    CHECK(ProgressBar::bar_line("Creating", 250, 1000, 2.0, ProgressUnit::Items, 40) ==
          "Creating  [\u2588\u2588\u2588\u2588\u2588\u2588\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591"
          "\u2591\u2591\u2591\u2591]   25%  40  20/s  6 s left");
    std::FILE* counted = std::tmpfile();
    REQUIRE(counted);
    now = 0.0;
    {
        ProgressBar bar(counted, ProgressMode::FinalLineOnly, "Creating", 1000000, ProgressUnit::Items, [&] { return now; });
        for (int step = 1; step <= 100; ++step) {
            now = step * 0.5;
            bar.update(static_cast<std::uint64_t>(step) * 10000, static_cast<std::uint64_t>(step));
        }
        bar.finish();
    }
    std::rewind(counted);
    lines.clear();
    while (std::fgets(buffer, sizeof buffer, counted)) lines.emplace_back(buffer);
    std::fclose(counted);
    REQUIRE(lines.size() == 10);
    CHECK(lines[0] == "Creating: 10% (10, 2/s, about 45 s left)\n");
    CHECK(lines[9] == "Creating: done, 100 in 50 s (2/s)\n");

    std::FILE* quiet = std::tmpfile();
    ProgressBar silent(quiet, ProgressMode::Quiet, "Work", 10);
    silent.update(5);
    silent.finish();
    CHECK(std::ftell(quiet) == 0);
    std::fclose(quiet);
}
