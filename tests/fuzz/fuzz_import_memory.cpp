// The import path over arbitrary bytes: read_equipment, then the catalogue into a fresh `:memory:`
// database and back. Properties: reading fails only with a located DataError; a catalogue that
// reads is always stored (SQLite accepts every name the reader lets through: commas, quotes,
// newlines, any UTF-8); reading it back gives the same catalogue, skill ids and content hash; and
// importing it again over itself changes nothing.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "db/catalogue_store.hpp"
#include "db/database.hpp"
#include "db/sqlite_failure.hpp"
#include "fuzz_check.hpp"
#include "io/equipment_reader.hpp"

namespace {

using namespace mhwopt;

// Everything a score or an output row depends on; not source_line, which the database drops.
std::string describe(const Catalogue& catalogue) {
    std::string out;
    for (std::size_t id = 0; id < catalogue.skill_count(); ++id)
        out += fmt::format("skill {} = [{}]\n", id, catalogue.skill_name(static_cast<SkillId>(id)));
    for (Part part : kAllParts) {
        for (const Piece& piece : catalogue.pieces(part)) {
            out += fmt::format("{} [{}] slots {} {} {} {} defence {} skills", part_name(piece.part), piece.name, piece.slots[0],
                               piece.slots[1], piece.slots[2], piece.slots[3], piece.defence);
            for (const SkillLevel& skill : piece.skills) out += fmt::format(" {}:{}", skill.skill, skill.level);
            out += '\n';
        }
    }
    return out;
}

void store(db::Database& database, const Catalogue& catalogue) {
    SQLite::Transaction transaction = db::begin_write(database);
    db::CatalogueStore(database).write(catalogue, "fuzz.csv");
    db::commit(transaction, database);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Catalogue catalogue;
    try {
        std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
        catalogue = read_equipment(in, "fuzz.csv", {});
    } catch (const DataError& error) {
        fuzz::check_located(error);
        return 0;
    }
    const std::string expected = describe(catalogue);
    const std::string hash = db::CatalogueStore::content_hash(catalogue);

    db::Database database(":memory:", db::OpenMode::Create);
    db::CatalogueStore catalogue_store(database);
    FUZZ_CHECK(!catalogue_store.info(), "a new database holds no catalogue");
    store(database, catalogue);

    const auto info = catalogue_store.info();
    FUZZ_CHECK(info && info->content_hash == hash, "the stored hash is the catalogue's");
    FUZZ_CHECK(info->combination_count == catalogue.combination_count(), "the stored combination count is the catalogue's");
    const Catalogue read_back = catalogue_store.read();
    FUZZ_CHECK(describe(read_back) == expected, "import, read back gives the same catalogue:\n" + expected + "---\n" + describe(read_back));
    FUZZ_CHECK(db::CatalogueStore::content_hash(read_back) == hash, "the read-back catalogue hashes the same");

    store(database, read_back);
    FUZZ_CHECK(describe(catalogue_store.read()) == expected, "importing over itself changes nothing");
    return 0;
}
