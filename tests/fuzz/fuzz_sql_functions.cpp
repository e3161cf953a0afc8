// mhwopt's SQL functions over arbitrary arguments, as a hostile query would call them: any function
// of the registration table, each argument NULL, an integer (any id, negative or past the last
// combination), a real, text (part and skill names, config JSON, paths) or a blob. Properties: a
// call returns or fails with an SQL error, never crashes or throws past SQLite; a NULL argument
// gives NULL (a scalar's; an aggregate skips the row); a valid id scores exactly as Scorer::score does with the same config text.
//
// Input layout: byte 0 picks the function; then per argument one type byte and its value (8 bytes
// for numbers; text and blobs run to the next 0xFF byte or the end).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "core/combination.hpp"
#include "core/scorer.hpp"
#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/extension/sql_functions.hpp"
#include "db/sqlite_failure.hpp"
#include "fuzz_check.hpp"
#include "io/config_reader.hpp"
#include "io/equipment_reader.hpp"

namespace {

using namespace mhwopt;

const char* const kCatalogueCsv =
    "Name,Skill 1 Name,Skill 1 Level,Skill 2 Name,Skill 2 Level,Slots Lvl 1,Slots Lvl 2,Slots Lvl 3,Slots Lvl 4,Body Part,Base Defence\n"
    "Helm,Attack Boost,2,Critical Eye,1,1,0,0,0,Head,40\n"
    "\"Cap, Beta\",Health Boost,1,,,0,1,0,0,Head,44\n"
    "Mail,Attack Boost,1,,,0,0,1,0,Body,42\n"
    "Braces,Critical Eye,2,,,0,0,0,1,Arms,44\n"
    "Gloves,,,,,2,0,0,0,Arms,30\n"
    "Coil,Health Boost,3,,,0,0,0,1,Waist,46\n"
    "Greaves,Attack Boost,1,Health Boost,1,2,0,0,0,Legs,48\n"
    "Charm,Attack Boost,2,,,,,,,Charm,\n"
    "Other Charm,Critical Eye,3,,,,,,,Charm,\n";

struct Fixture {
    Catalogue catalogue;
    std::unique_ptr<db::Database> database;
    std::vector<db::SqlFunctions::Definition> functions;

    Fixture() {
        std::istringstream in(kCatalogueCsv);
        catalogue = read_equipment(in, "fuzz.csv", {});
        database = std::make_unique<db::Database>(":memory:", db::OpenMode::Create);
        SQLite::Transaction transaction = db::begin_write(*database);
        db::CatalogueStore(*database).write(catalogue, "fuzz.csv");
        db::commit(transaction, *database);
        db::SqlFunctions::install(database->getHandle());
        std::size_t count = 0;
        const db::SqlFunctions::Definition* table = db::SqlFunctions::definitions(count);
        functions.assign(table, table + count);
    }
};

Fixture& fixture() {
    static Fixture instance;
    return instance;
}

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t at = 0;
    bool done() const { return at >= size; }
    std::uint8_t byte() { return done() ? 0 : data[at++]; }
    std::uint64_t word() {
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i) value = value << 8 | byte();
        return value;
    }
    std::string bytes() {
        std::string out;
        while (!done() && data[at] != 0xFF) out.push_back(static_cast<char>(data[at++]));
        if (!done()) ++at;
        return out;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Fixture& f = fixture();
    if (size == 0 || f.functions.empty()) return 0;
    Reader in{data, size};
    const db::SqlFunctions::Definition& function = f.functions[in.byte() % f.functions.size()];
    const int arity = function.arity < 0 ? 1 + in.byte() % 3 : function.arity;

    std::string sql = std::string("SELECT ") + function.name + "(";
    for (int i = 0; i < arity; ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
    SQLite::Statement statement(*f.database, sql);
    bool any_null = false;
    std::vector<std::string> texts(static_cast<std::size_t>(arity));
    std::int64_t id = -1;
    for (int i = 0; i < arity; ++i) {
        switch (in.byte() % 5) {
            case 0:
                statement.bind(i + 1);
                any_null = true;
                break;
            case 1: {
                const auto value = static_cast<std::int64_t>(in.word());
                if (i == 0) id = value;
                statement.bind(i + 1, static_cast<int64_t>(value));
                break;
            }
            case 2: {
                double value;
                const std::uint64_t bits = in.word();
                std::memcpy(&value, &bits, sizeof value);
                statement.bind(i + 1, value);
                break;
            }
            case 3:
                texts[static_cast<std::size_t>(i)] = in.bytes();
                statement.bindNoCopy(i + 1, texts[static_cast<std::size_t>(i)]);
                break;
            default: {
                texts[static_cast<std::size_t>(i)] = in.bytes();
                const std::string& blob = texts[static_cast<std::size_t>(i)];
                statement.bindNoCopy(i + 1, static_cast<const void*>(blob.data()), static_cast<int>(blob.size()));
                break;
            }
        }
    }
    try {
        FUZZ_CHECK(statement.executeStep(), "a scalar function returns one row");
        const bool is_null = statement.getColumn(0).isNull();
        // Scalars only: an aggregate (mhwopt_top_n) skips a row whose argument is NULL, as sum() does.
        const bool aggregate = function.final != nullptr;
        if (any_null && !aggregate) FUZZ_CHECK(is_null, std::string(function.name) + ": a NULL argument gives NULL");
        // A config given as JSON text scores a valid id exactly as the core does.
        if (std::strcmp(function.name, "score") == 0 && arity == 2 && !any_null && id >= 0 &&
            static_cast<std::uint64_t>(id) < f.catalogue.combination_count() && !texts[1].empty() && !is_null) {
            Config config;
            try {
                config = read_config_text(texts[1], "fuzz", {});
            } catch (const std::exception&) {
                return 0;  // the SQL function accepted what the reader refuses: a path, handled elsewhere
            }
            const Scorer scorer(f.catalogue, config);
            const KeyCodec codec(f.catalogue);
            const double expected = scorer.score(totals_of(f.catalogue, codec.decode(static_cast<CombinationKey>(id))));
            FUZZ_CHECK(statement.getColumn(0).getDouble() == expected, "score(id, JSON) equals Scorer::score");
        }
    } catch (const SQLite::Exception& e) {
        // An SQL error is a valid answer to a bad argument.
        if (std::getenv("FUZZ_DEBUG")) std::fprintf(stderr, "%s: %s\n", function.name, e.what());
    }
    return 0;
}
