#pragma once
// The N best (score, key) pairs seen so far, in O(N) memory however many are offered.
// Order: higher score first; equal scores by lower key (the original's generation order).
#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/combination.hpp"

namespace mhwopt {

struct Ranked {
    double score;
    CombinationKey key;
};

inline bool ranks_before(const Ranked& a, const Ranked& b) {
    return a.score > b.score || (a.score == b.score && a.key < b.key);
}

class TopN {
public:
    explicit TopN(std::size_t capacity) : capacity_(capacity) {}

    bool full() const { return heap_.size() >= capacity_; }
    std::size_t size() const { return heap_.size(); }
    std::size_t capacity() const { return capacity_; }

    // The score a candidate must reach to have a chance; -inf until full.
    double threshold() const {
        return full() && !heap_.empty() ? heap_.front().score : -std::numeric_limits<double>::infinity();
    }
    // The entry a candidate must rank before once full (undefined when empty).
    const Ranked& worst() const { return heap_.front(); }
    bool accepts(const Ranked& candidate) const {
        return capacity_ > 0 && (!full() || ranks_before(candidate, heap_.front()));
    }

    void offer(const Ranked& candidate) {
        if (!accepts(candidate)) return;
        if (full()) {
            std::pop_heap(heap_.begin(), heap_.end(), ranks_before);
            heap_.back() = candidate;
        } else {
            heap_.push_back(candidate);
        }
        std::push_heap(heap_.begin(), heap_.end(), ranks_before);  // worst at the front
    }

    void merge(const TopN& other) {
        for (const Ranked& r : other.heap_) offer(r);
    }

    std::vector<Ranked> sorted() const {
        std::vector<Ranked> result = heap_;
        std::sort(result.begin(), result.end(), ranks_before);
        return result;
    }

private:
    std::size_t capacity_;
    std::vector<Ranked> heap_;
};

}  // namespace mhwopt
