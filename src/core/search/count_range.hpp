#pragma once
// Internal: score ranges for the counting passes. ordered_key maps doubles onto integers in order,
// CountRange cuts a range of those keys into buckets whose edges are doubles, and BucketTally is
// what one thread counted in one bucket.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "core/search/common.hpp"

namespace mhwopt::engine {

// An order-preserving map of the doubles (NaN aside) onto the integers. The counting passes split
// score ranges in these keys rather than in values, so every bucket edge is itself a double, the
// buckets are exactly monotone, and a range one key wide holds a single score.
inline std::uint64_t ordered_key(double score) {
    if (score == 0) score = 0.0;  // -0.0 and 0.0 are the same score
    std::uint64_t bits;
    std::memcpy(&bits, &score, sizeof bits);
    return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

inline double from_ordered_key(std::uint64_t key) {
    const std::uint64_t bits = (key >> 63) ? key & ~(std::uint64_t{1} << 63) : ~key;
    double score;
    std::memcpy(&score, &bits, sizeof score);
    return score;
}

// A score range [low, high) of ordered keys cut into buckets, and how many passing sets are already
// known to score at or above `high`. A wide range (around 0 the keys are logarithmic in the value)
// is cut at equal steps of value, a narrow one at equal steps of keys; either way the edges are
// doubles and monotone, and a score's bucket is decided by comparing with them.
class CountRange {
public:
    std::uint64_t above = 0;

    CountRange(std::uint64_t low, std::uint64_t high, std::size_t max_buckets, std::uint64_t known_above)
        : above(known_above), low_(low), high_(high) {
        low_value_ = from_ordered_key(low);
        width_ = from_ordered_key(high - 1) - low_value_;
        if (high - low > (std::uint64_t{1} << 40) && std::isfinite(width_)) {
            by_value_ = true;
            buckets_ = max_buckets;
        } else {
            while (((high - low - 1) >> shift_) >= max_buckets) ++shift_;
            buckets_ = static_cast<std::size_t>(((high - low - 1) >> shift_) + 1);
        }
    }

    std::uint64_t high() const { return high_; }
    std::size_t buckets() const { return buckets_; }

    std::uint64_t edge_key(std::size_t bucket) const {
        if (bucket == 0) return low_;
        if (bucket >= buckets_) return high_;
        if (!by_value_) return std::min(high_, low_ + (static_cast<std::uint64_t>(bucket) << shift_));
        const double edge = low_value_ + width_ * (static_cast<double>(bucket) / static_cast<double>(buckets_));
        return std::clamp(ordered_key(edge), low_, high_);
    }
    double edge(std::size_t bucket) const { return from_ordered_key(edge_key(bucket)); }

    // For a score in the range.
    std::size_t bucket_of(double score) const {
        const std::uint64_t key = ordered_key(score);
        if (!by_value_) return static_cast<std::size_t>((key - low_) >> shift_);
        const double guess = std::floor((score - low_value_) / width_ * static_cast<double>(buckets_));
        std::size_t b = !(guess > 0) ? 0 : std::min(buckets_ - 1, static_cast<std::size_t>(guess));
        while (b > 0 && key < edge_key(b)) --b;
        while (b + 1 < buckets_ && key >= edge_key(b + 1)) ++b;
        return b;
    }

private:
    std::uint64_t low_, high_;
    bool by_value_ = false;
    double low_value_ = 0.0, width_ = 0.0;
    unsigned shift_ = 0;
    std::size_t buckets_ = 0;
};


// What a thread counted in one bucket: how many sets, and the two highest and the lowest score with
// how many sets have each. A tracked score's count is exact (a score enters the top two or the
// lowest only at its first occurrence, and is not tracked again once dropped), so when the three
// account for every set, the bucket's scores are all known.
struct BucketTally {
    std::uint64_t count = 0;
    double highest = -kInfinity, second = -kInfinity, lowest = kInfinity;
    std::uint64_t at_highest = 0, at_second = 0, at_lowest = 0;

    void add(double score) {
        ++count;
        if (score == highest) {
            ++at_highest;
        } else if (score > highest) {
            second = highest, at_second = at_highest;
            highest = score, at_highest = 1;
        } else if (score == second) {
            ++at_second;
        } else if (score > second) {
            second = score, at_second = 1;
        }
        if (score == lowest) ++at_lowest;
        else if (score < lowest) lowest = score, at_lowest = 1;
    }

    // Every score with its count, highest first, when the tracked ones account for every set.
    std::optional<std::vector<std::pair<double, std::uint64_t>>> scores() const {
        std::vector<std::pair<double, std::uint64_t>> known;
        if (at_highest > 0) known.emplace_back(highest, at_highest);
        if (at_second > 0) known.emplace_back(second, at_second);
        if (at_lowest > 0 && lowest < (at_second > 0 ? second : highest)) known.emplace_back(lowest, at_lowest);
        std::uint64_t sum = 0;
        for (const auto& k : known) sum += k.second;
        if (sum != count) return std::nullopt;
        return known;
    }
};

}  // namespace mhwopt::engine
