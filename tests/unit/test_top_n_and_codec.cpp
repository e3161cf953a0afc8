// The key codec (positions <-> one integer in the original's generation order) and the bounded
// top-N (best first, ties by key).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "core/combination.hpp"
#include "core/top_n.hpp"

using namespace mhwopt;

TEST_CASE("KeyCodec: every key decodes and re-encodes to itself, in generation order", "[codec]") {
    const KeyCodec codec(std::array<std::uint32_t, kPartCount>{2, 3, 1, 4, 2, 3});
    REQUIRE(codec.count() == 2 * 3 * 1 * 4 * 2 * 3);
    Positions previous{};
    for (CombinationKey key = 0; key < codec.count(); ++key) {
        const Positions p = codec.decode(key);
        CHECK(codec.encode(p) == key);
        for (Part part : kAllParts) CHECK(p[index_of(part)] < codec.part_size(part));
        // Head is the most significant digit, the charm the least: key order is nested-loop order.
        if (key > 0) CHECK(std::lexicographical_compare(previous.begin(), previous.end(), p.begin(), p.end()));
        previous = p;
    }
    CHECK(codec.decode(0) == Positions{0, 0, 0, 0, 0, 0});
    CHECK(codec.decode(codec.count() - 1) == Positions{1, 2, 0, 3, 1, 2});
    CHECK(codec.encode({0, 0, 0, 0, 0, 1}) == 1);
    CHECK(codec.encode({1, 0, 0, 0, 0, 0}) == 3 * 1 * 4 * 2 * 3);
    CHECK_THROWS_AS(codec.decode(codec.count()), std::out_of_range);
}

TEST_CASE("KeyCodec: large catalogues round-trip, too large ones are refused", "[codec]") {
    const KeyCodec big(std::array<std::uint32_t, kPartCount>{1000, 1000, 1000, 1000, 1000, 1000});
    CHECK(big.count() == 1000000000000000000ULL);
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i) {
        const CombinationKey key = rng() % big.count();
        CHECK(big.encode(big.decode(key)) == key);
    }
    CHECK_THROWS_AS(KeyCodec(std::array<std::uint32_t, kPartCount>{10000, 10000, 10000, 10000, 10000, 10000}),
                    std::overflow_error);
}

TEST_CASE("TopN keeps the best, best first, equal scores by lower key", "[top_n]") {
    TopN top(3);
    CHECK(top.threshold() == -std::numeric_limits<double>::infinity());
    top.offer({1.0, 10});
    top.offer({5.0, 20});
    top.offer({5.0, 5});
    CHECK(top.full());
    CHECK(top.threshold() == 1.0);
    top.offer({1.0, 3});   // same score, earlier key: displaces key 10
    top.offer({1.0, 11});  // same score, later key: rejected
    top.offer({0.5, 0});
    const auto best = top.sorted();
    REQUIRE(best.size() == 3);
    CHECK(best[0].score == 5.0);
    CHECK(best[0].key == 5);
    CHECK(best[1].key == 20);
    CHECK(best[2].score == 1.0);
    CHECK(best[2].key == 3);
}

TEST_CASE("TopN of random offers equals sorting everything, merged from parts", "[top_n]") {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> score(0, 20);  // few distinct scores: many ties
    std::vector<Ranked> all;
    for (CombinationKey key = 0; key < 2000; ++key) all.push_back({score(rng) * 0.5, key});
    std::shuffle(all.begin(), all.end(), rng);
    for (std::size_t capacity : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{100}, std::size_t{5000}}) {
        TopN first(capacity), second(capacity);
        for (std::size_t i = 0; i < all.size(); ++i) (i % 3 == 0 ? first : second).offer(all[i]);
        first.merge(second);
        std::vector<Ranked> expected = all;
        std::sort(expected.begin(), expected.end(), ranks_before);
        expected.resize(std::min(capacity, expected.size()));
        const auto got = first.sorted();
        REQUIRE(got.size() == expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            CHECK(got[i].score == expected[i].score);
            CHECK(got[i].key == expected[i].key);
        }
    }
}
