#include "io/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

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

namespace {

std::string amount(std::uint64_t value, ProgressUnit unit) {
    if (unit == ProgressUnit::Items) return with_thousands_separators(value);
    const double v = static_cast<double>(value);
    if (v >= 1e9) return fmt::format("{:.2f} GB", v / 1e9);
    if (v >= 1e6) return fmt::format("{:.1f} MB", v / 1e6);
    if (v >= 1e3) return fmt::format("{:.0f} kB", v / 1e3);
    return fmt::format("{} B", value);
}

}  // namespace

std::string ProgressBar::duration_text(double seconds) {
    const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    if (s < 60) return fmt::format("{} s", s);
    if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
    return fmt::format("{} h {:02} min", s / 3600, s / 60 % 60);
}

std::string ProgressBar::rate_text(double per_second, ProgressUnit unit) {
    if (unit == ProgressUnit::Bytes) {
        if (per_second >= 1e9) return fmt::format("{:.2f} GB/s", per_second / 1e9);
        if (per_second >= 1e6) return fmt::format("{:.1f} MB/s", per_second / 1e6);
        return fmt::format("{:.0f} kB/s", per_second / 1e3);
    }
    if (per_second >= 1e9) return fmt::format("{:.2f}G/s", per_second / 1e9);
    if (per_second >= 1e6) return fmt::format("{:.2f}M/s", per_second / 1e6);
    if (per_second >= 1e4) return fmt::format("{:.1f}k/s", per_second / 1e3);
    return fmt::format("{:.0f}/s", per_second);
}

std::string ProgressBar::bar_line(const std::string& label, std::uint64_t done, std::uint64_t total, double seconds, ProgressUnit unit,
                                  std::optional<std::uint64_t> counted) {
    constexpr int kWidth = 24;
    const double fraction = total == 0 ? 0.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar;
    for (int i = 0; i < kWidth; ++i) bar += i < filled ? "\u2588" : "\u2591";
    std::string line = fmt::format("{}  [{}]  {:3d}%  {}", label, bar, static_cast<int>(fraction * 100), amount(counted.value_or(done), unit));
    if (total != 0 && !counted) line += "/" + amount(total, unit);
    if (seconds > 0.5 && done > 0) {
        line += "  " + rate_text(static_cast<double>(counted.value_or(done)) / seconds, unit);
        // The time left goes by the position, whatever is counted.
        if (total > done) line += "  " + duration_text(seconds * static_cast<double>(total - done) / static_cast<double>(done)) + " left";
    }
    return line;
}

ProgressBar::ProgressBar(std::FILE* stream, ProgressMode mode, std::string label, std::uint64_t total, ProgressUnit unit, Clock clock)
    : stream_(stream), mode_(mode), label_(std::move(label)), total_(total), unit_(unit), clock_(std::move(clock)) {
    if (!clock_) {
        clock_ = [] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        };
    }
    started_ = clock_();
}

void ProgressBar::update(std::uint64_t done) {
    done_ = done;
    if (mode_ == ProgressMode::Quiet || finished_) return;
    const double now = clock_();
    if (mode_ == ProgressMode::Redraw) {
        if (last_draw_ >= 0 && now - last_draw_ < 0.1) return;
        last_draw_ = now;
        const std::string text = bar_line(label_, done, total_, now - started_, unit_, counted_);
        std::fprintf(stream_, "\r%-*s", static_cast<int>(last_length_), text.c_str());
        std::fflush(stream_);
        last_length_ = text.size();
        return;
    }
    if (total_ == 0) return;
    const int tenth = static_cast<int>(10.0 * static_cast<double>(std::min(done, total_)) / static_cast<double>(total_));
    if (tenth <= last_tenth_ || tenth >= 10) return;
    last_tenth_ = tenth;
    const double seconds = now - started_;
    const std::uint64_t shown = counted_.value_or(done);
    std::string text = counted_ ? fmt::format("{}: {}% ({}", label_, tenth * 10, amount(shown, unit_))
                                : fmt::format("{}: {}% ({} of {}", label_, tenth * 10, amount(done, unit_), amount(total_, unit_));
    if (seconds > 0 && done > 0)
        text += fmt::format(", {}, about {} left", rate_text(static_cast<double>(shown) / seconds, unit_),
                            duration_text(seconds * static_cast<double>(total_ - std::min(done, total_)) / static_cast<double>(done)));
    std::fprintf(stream_, "%s)\n", text.c_str());
    std::fflush(stream_);
}

void ProgressBar::update(std::uint64_t position, std::uint64_t counted) {
    counted_ = counted;
    update(position);
}

void ProgressBar::finish() {
    if (mode_ == ProgressMode::Quiet || finished_) return;
    finished_ = true;
    const double seconds = clock_() - started_;
    const std::uint64_t shown = counted_ ? *counted_ : total_ != 0 ? std::max(done_, total_) : done_;
    std::string text = fmt::format("{}: done, {} in {}", label_, amount(shown, unit_),
                                   seconds < 10 ? fmt::format("{:.1f} s", seconds) : duration_text(seconds));
    const std::uint64_t rated = counted_.value_or(done_);
    if (seconds > 0.05 && rated > 0) text += fmt::format(" ({})", rate_text(static_cast<double>(rated) / seconds, unit_));
    if (mode_ == ProgressMode::Redraw) std::fprintf(stream_, "\r%-*s\n", static_cast<int>(last_length_), text.c_str());
    else std::fprintf(stream_, "%s\n", text.c_str());
    std::fflush(stream_);
}

}  // namespace mhwopt
