// exhaustive_top_n, with its incremental sums, pruning and threads, must return exactly what a
// naive loop over every key with Scorer::score returns: same keys, same order, same doubles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "core/search.hpp"

using namespace mhwopt;

namespace {

Catalogue random_catalogue(std::mt19937& rng, int max_part_size, int skill_count) {
    Catalogue c;
    std::uniform_int_distribution<int> size(1, max_part_size), small(0, 2), level(0, 4), skill(0, skill_count - 1),
        defence(0, 60), count(0, 3);
    for (Part part : kAllParts) {
        const int n = size(rng);
        for (int i = 0; i < n; ++i) {
            Piece p;
            p.name = std::string(part_name(part)) + " " + std::to_string(i);
            p.part = part;
            if (part != Part::Charm) {
                for (int& s : p.slots) s = small(rng);
                p.defence = defence(rng);
            }
            // Sometimes the same skill twice on one piece, sometimes none.
            for (int k = count(rng); k > 0; --k) p.skills.push_back({c.intern_skill("Skill " + std::to_string(skill(rng))), level(rng)});
            c.add_piece(std::move(p));
        }
    }
    return c;
}

Config random_config(std::mt19937& rng, int skill_count, bool coarse) {
    // Coarse weights (multiples of 0.5) make many exact ties; fine ones exercise rounding.
    std::uniform_int_distribution<int> step(-4, 8), cap(0, 8);
    std::uniform_real_distribution<double> real(-2.0, 5.0);
    auto weight = [&] { return coarse ? step(rng) * 0.5 : real(rng); };
    Config config;
    for (double& w : config.deco_weights) w = weight();
    config.num_decos_weight = weight();
    config.defence_weight = coarse ? 0.125 : 0.013;
    for (int s = 0; s < skill_count; s += 2)  // odd skills stay unconfigured: weight 1.0
        config.skills.push_back({"Skill " + std::to_string(s), SkillRule{static_cast<double>(cap(rng)), weight(), weight()}});
    return config;
}

std::vector<Ranked> naive_top_n(const Catalogue& catalogue, const Scorer& scorer, std::size_t limit) {
    const KeyCodec codec(catalogue);
    std::vector<Ranked> all;
    for (CombinationKey key = 0; key < codec.count(); ++key)
        all.push_back({scorer.score(totals_of(catalogue, codec.decode(key))), key});
    std::stable_sort(all.begin(), all.end(), [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
    all.resize(std::min(limit, all.size()));
    return all;
}

}  // namespace

TEST_CASE("exhaustive_top_n equals a naive loop over all keys", "[search]") {
    std::mt19937 rng(20240611);
    for (int round = 0; round < 12; ++round) {
        const int skill_count = 3 + round % 5;
        const Catalogue catalogue = random_catalogue(rng, 2 + round % 4, skill_count);
        const Config config = random_config(rng, skill_count, round % 2 == 0);
        const Scorer scorer(catalogue, config);
        for (std::size_t limit : {std::size_t{1}, std::size_t{17}, std::size_t{100000}}) {
            const std::vector<Ranked> expected = naive_top_n(catalogue, scorer, limit);
            for (unsigned threads : {1u, 2u}) {
                INFO("round " << round << ", limit " << limit << ", threads " << threads << ", "
                              << catalogue.combination_count() << " combinations");
                SearchRequest request;
                request.limit = limit;
                request.threads = threads;
                std::atomic<std::uint64_t> progress{0};
                request.progress = &progress;
                const std::vector<Ranked> got = exhaustive_top_n(catalogue, scorer, request);
                REQUIRE(got.size() == expected.size());
                for (std::size_t i = 0; i < got.size(); ++i) {
                    CHECK(got[i].key == expected[i].key);
                    CHECK(got[i].score == expected[i].score);
                }
                CHECK(progress.load() == catalogue.combination_count());
            }
        }
    }
}

TEST_CASE("a limit of 0 gives nothing", "[search]") {
    std::mt19937 rng(1);
    const Catalogue catalogue = random_catalogue(rng, 3, 3);
    const Scorer scorer(catalogue, Config{});
    SearchRequest request;
    request.limit = 0;
    CHECK(exhaustive_top_n(catalogue, scorer, request).empty());
}
