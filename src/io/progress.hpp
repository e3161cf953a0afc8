#pragma once
// The original's progress lines ("Creating combinations... 42% of a total of 10,895,360", then
// "... Done!"): redrawn in place on a terminal, one final line otherwise, nothing when quiet.
#include <cstdint>
#include <cstdio>
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

}  // namespace mhwopt
