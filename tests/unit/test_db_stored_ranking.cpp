// db::rank_stored, `score`'s ranking: chunks of rows handed to whichever connection asks, a floor
// shared between them, a chunk's scan ended by mhwopt_rank_row. Whatever the chunk size, the number
// of connections, the filter and how the stored ids are spread (every key, a few clusters far
// apart, scattered single rows), its rows must be exactly ORDER BY score(id) DESC, id LIMIT N, and
// its progress must count every stored row once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include <SQLiteCpp/Statement.h>

#include "db/stored_ranking.hpp"
#include "db_test_fixture.hpp"

using namespace mhwopt;
using testing::same_bits;

namespace {

Config random_config(std::mt19937& rng) {
    const double values[] = {0.0, 1.0, 2.0, -1.0, 0.5, 3.25};  // round values: many ties
    auto pick = [&] { return values[std::uniform_int_distribution<int>(0, 5)(rng)]; };
    Config config;
    for (double& w : config.deco_weights) w = pick();
    config.num_decos_weight = pick();
    config.defence_weight = pick() / 64.0;
    for (const char* skill : {"Attack Boost", "Critical Eye", "Health Boost", "Handicraft", "Weakness Exploit"})
        if (std::uniform_int_distribution<int>(0, 3)(rng) != 0)
            config.skills.emplace_back(skill, SkillRule{static_cast<double>(std::uniform_int_distribution<int>(0, 5)(rng)), pick(), pick()});
    return config;
}

// Which of the fixture's 216 ids are stored: all of them, clusters, or scattered rows.
std::vector<std::int64_t> stored_ids(std::mt19937& rng, int shape) {
    std::vector<std::int64_t> ids;
    for (std::int64_t id = 0; id < 216; ++id) {
        const bool keep = shape == 0 ? true : shape == 1 ? (id >= 5 && id < 40) || (id >= 180 && id < 190) || id == 215
                                                         : std::uniform_int_distribution<int>(0, 9)(rng) == 0;
        if (keep) ids.push_back(id);
    }
    return ids;
}

}  // namespace

TEST_CASE("rank_stored ranks exactly as ORDER BY score DESC, id LIMIT N, however the rows are spread and chunked", "[db][score]") {
    testing::ScratchDatabasePath path("mhwopt_stored_ranking");
    std::mt19937 rng(20261208);
    const char* filters[] = {"", "defence >= 380", "id % 3 = 1", "skill(id, 'Attack Boost') >= 3"};
    int compared = 0;
    for (int round = 0; round < 12; ++round) {
        path.remove();
        const std::vector<std::int64_t> ids = stored_ids(rng, round % 3);
        {
            db::Database database(path.path, db::OpenMode::Create);
            testing::import_fixture(database);
            SQLite::Statement insert(database, "INSERT INTO combination(id) VALUES (?)");
            for (std::int64_t id : ids) {
                insert.bind(1, id);
                insert.exec();
                insert.reset();
            }
        }
        db::Database reader(path.path, db::OpenMode::ReadOnly);
        db::SqlFunctions functions = db::SqlFunctions::install(reader.getHandle());
        const Config config = random_config(rng);
        functions.set_current_config(config);
        for (const char* filter : filters)
            for (std::int64_t limit : {1, 7, 300})
                for (unsigned threads : {1u, 2u, 3u})
                    for (std::int64_t chunk_rows : {1, 4, 33, 1000}) {
                        INFO("round " << round << ", where '" << filter << "', N " << limit << ", " << threads << " threads, chunks of "
                                      << chunk_rows);
                        const std::string where = *filter ? std::string(" WHERE ") + filter : "";
                        std::vector<Ranked> expected;
                        SQLite::Statement brute(reader, "SELECT id, score(id) FROM combination_detail" + where + " ORDER BY 2 DESC, id LIMIT " +
                                                            std::to_string(limit));
                        while (brute.executeStep())
                            expected.push_back({brute.getColumn(1).getDouble(), static_cast<CombinationKey>(brute.getColumn(0).getInt64())});
                        db::StoredRanking request;
                        request.db_path = path.path;
                        request.config = config;
                        request.where = filter;
                        request.limit = limit;
                        request.threads = threads;
                        request.chunk_rows = chunk_rows;
                        std::uint64_t counted = 0;
                        const std::vector<Ranked> ranked = db::rank_stored(request, [&](std::uint64_t rows) { counted = rows; });
                        CHECK(same_bits(ranked, expected));
                        CHECK(counted == ids.size());
                        ++compared;
                    }
    }
    CHECK(compared == 12 * 4 * 3 * 3 * 4);
}

TEST_CASE("mhwopt_rank_row is score's own: anywhere else it is an error", "[db][score]") {
    db::Database database(":memory:", db::OpenMode::Create);
    db::SqlFunctions functions = db::SqlFunctions::install(database.getHandle());
    testing::import_fixture(database);
    database.exec("INSERT INTO combination(id) VALUES (3)");
    CHECK(testing::error_of(database, "SELECT mhwopt_rank_row(id, 1) FROM combination") ==
          "mhwopt_rank_row(id, PASSES): used by mhwopt score only");
}
