#pragma once
// The original's progress lines ("Creating combinations... 42% of a total of 10,895,360", then
// "... Done!"): redrawn in place on a terminal, one final line otherwise, nothing when quiet.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

namespace mhwopt {

enum class ProgressMode { Quiet, FinalLineOnly, Redraw };

ProgressMode progress_mode_for(std::FILE* stream, bool quiet);

// 10895360 -> "10,895,360", as Python's "{:,}".
std::string with_thousands_separators(std::uint64_t value);

class ProgressLine {
public:
    ProgressLine(std::FILE* stream, ProgressMode mode, std::string label, std::uint64_t total);
    void update(std::uint64_t done);  // cheap when the percentage has not changed
    void finish();                    // prints "<label> Done!" once

private:
    std::FILE* stream_;
    ProgressMode mode_;
    std::string label_;
    std::uint64_t total_;
    int last_percent_ = -1;
    std::size_t last_length_ = 0;
    bool finished_ = false;
};

// A bar with the rate and the time left, for commands that are not the original's drop-in:
//   Creating combinations  [██████████░░░░░░░░░░░░░░]  42%  4,576,051/10,895,360  1.21M/s  5 s left
// redrawn at most ten times a second on a terminal; when piped, a plain line at each tenth and a
// final one with the time taken, so logs stay short; nothing when quiet.
enum class ProgressUnit { Items, Bytes };

class ProgressBar {
public:
    using Clock = std::function<double()>;  // monotonic seconds; tests give their own

    ProgressBar(std::FILE* stream, ProgressMode mode, std::string label, std::uint64_t total,
                ProgressUnit unit = ProgressUnit::Items, Clock clock = {});
    void update(std::uint64_t done);
    // For a walk measured by one thing and counting another: a filtered generation goes through the
    // id range in order and stores the ids that pass, so its place in the range is how far it is
    // (the fraction, the time left) and the rows stored are what it shows (the number, the rate,
    // the final line). Shown as ids, a whole-game store of 100,000 rows read "1e15 done".
    void update(std::uint64_t position, std::uint64_t counted);
    void finish();  // the final line, once

    // The terminal line for `done` of `total` after `seconds` (total 0: unknown); with `counted`,
    // `done` is the position that gives the fraction and `counted` the number shown.
    static std::string bar_line(const std::string& label, std::uint64_t done, std::uint64_t total, double seconds, ProgressUnit unit,
                                std::optional<std::uint64_t> counted = std::nullopt);
    // "12 s", "3 min 05 s", "2 h 07 min".
    static std::string duration_text(double seconds);
    // "950/s", "12.3k/s", "4.56M/s"; bytes as "3.2 MB/s".
    static std::string rate_text(double per_second, ProgressUnit unit);

private:
    std::FILE* stream_;
    ProgressMode mode_;
    std::string label_;
    std::uint64_t total_;
    ProgressUnit unit_;
    Clock clock_;
    double started_ = 0.0;
    double last_draw_ = -1.0;
    int last_tenth_ = 0;
    std::uint64_t done_ = 0;
    std::optional<std::uint64_t> counted_;
    std::size_t last_length_ = 0;
    bool finished_ = false;
};

}  // namespace mhwopt
