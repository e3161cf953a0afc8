#include "io/progress.hpp"

#include <unistd.h>

namespace mhwopt {

ProgressMode progress_mode_for(std::FILE* stream, bool quiet) {
    if (quiet) return ProgressMode::Quiet;
    return isatty(fileno(stream)) ? ProgressMode::Redraw : ProgressMode::FinalLineOnly;
}

std::string with_thousands_separators(std::uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

ProgressLine::ProgressLine(std::FILE* stream, ProgressMode mode, std::string label, std::uint64_t total)
    : stream_(stream), mode_(mode), label_(std::move(label)), total_(total) {}

void ProgressLine::update(std::uint64_t done) {
    if (mode_ != ProgressMode::Redraw || finished_ || total_ == 0) return;
    const int percent = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_));
    if (percent == last_percent_ || percent >= 100) return;
    last_percent_ = percent;
    const std::string text = label_ + " " + std::to_string(percent) + "% of a total of " + with_thousands_separators(total_);
    std::fprintf(stream_, "\r%-*s", static_cast<int>(last_length_), text.c_str());
    std::fflush(stream_);
    last_length_ = text.size();
}

void ProgressLine::finish() {
    if (mode_ == ProgressMode::Quiet || finished_) return;
    finished_ = true;
    const std::string text = label_ + " Done!";
    if (mode_ == ProgressMode::Redraw) std::fprintf(stream_, "\r%-*s\n", static_cast<int>(last_length_), text.c_str());
    else std::fprintf(stream_, "%s\n", text.c_str());
    std::fflush(stream_);
}

}  // namespace mhwopt
