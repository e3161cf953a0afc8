#include "db/extension/best_sets.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <new>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/branch_and_bound.hpp"
#include "core/combination.hpp"
#include "core/filters.hpp"
#include "io/config_reader.hpp"

namespace mhwopt::db {

namespace {

enum Column { kRank, kId, kHead, kBody, kArms, kWaist, kLegs, kCharm, kDefence, kSlots1, kSlots2, kSlots3, kSlots4, kScore,
              kConfig, kN, kRequirements, kMinDefence };
constexpr int kFirstArgument = kConfig;
constexpr int kArguments = 4;

struct Table : sqlite3_vtab {
    std::shared_ptr<SqlFunctionState> state;
};

struct Cursor : sqlite3_vtab_cursor {
    std::vector<Ranked> rows;
    std::size_t at = 0;
    const Catalogue* catalogue = nullptr;
    Positions positions{};
    Totals totals;
    std::size_t decoded = SIZE_MAX;  // the row positions and totals are of
    std::array<std::optional<std::string>, kArguments> arguments;  // as given, for the hidden columns
    void decode() {
        if (decoded == at) return;
        positions = KeyCodec(*catalogue).decode(rows[at].key);
        totals = totals_of(*catalogue, positions);
        decoded = at;
    }
};

// The host asked the search to stop (see run_search).
struct Stopped {};

int fail(sqlite3_vtab* table, const std::string& message) {
    sqlite3_free(table->zErrMsg);
    table->zErrMsg = sqlite3_mprintf("%s", message.c_str());
    return SQLITE_ERROR;
}

int connect(sqlite3* db, void* state, int, const char* const*, sqlite3_vtab** out, char** error) {
    const int rc = sqlite3_declare_vtab(db,
        "CREATE TABLE x(rank INTEGER, id INTEGER, head TEXT, body TEXT, arms TEXT, waist TEXT, legs TEXT, charm TEXT,"
        " defence INTEGER, slots1 INTEGER, slots2 INTEGER, slots3 INTEGER, slots4 INTEGER, score REAL,"
        " config HIDDEN, n HIDDEN, requirements HIDDEN, min_defence HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    auto* table = new (std::nothrow) Table();
    if (!table) return SQLITE_NOMEM;
    table->state = *static_cast<std::shared_ptr<SqlFunctionState>*>(state);
    *out = table;
    (void)error;
    return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table) {
    delete static_cast<Table*>(table);
    return SQLITE_OK;
}

// The arguments are equality constraints on the hidden columns; idxNum says which were given, and
// they are passed to filter in column order.
int best_index(sqlite3_vtab* table, sqlite3_index_info* info) {
    int given = 0;
    std::array<int, kArguments> constraint{};
    constraint.fill(-1);
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto& c = info->aConstraint[i];
        if (c.iColumn < kFirstArgument || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        // An unusable argument: this plan cannot run, another order of the joins will supply it.
        if (!c.usable) return SQLITE_CONSTRAINT;
        constraint[static_cast<std::size_t>(c.iColumn - kFirstArgument)] = i;
        given |= 1 << (c.iColumn - kFirstArgument);
    }
    if (!(given & 1))
        return fail(table, "best_sets needs a config: SELECT * FROM best_sets('config.json', N)");
    int next = 1;
    for (std::size_t a = 0; a < kArguments; ++a)
        if (constraint[a] >= 0) {
            info->aConstraintUsage[constraint[a]].argvIndex = next++;
            info->aConstraintUsage[constraint[a]].omit = 1;
        }
    info->idxNum = given;
    info->estimatedCost = 1e6;
    info->estimatedRows = 100;
    // Rows come best first: an ORDER BY rank needs no sort.
    if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == kRank && !info->aOrderBy[0].desc) info->orderByConsumed = 1;
    return SQLITE_OK;
}

int open_cursor(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
    auto* cursor = new (std::nothrow) Cursor();
    if (!cursor) return SQLITE_NOMEM;
    *out = cursor;
    return SQLITE_OK;
}

int close_cursor(sqlite3_vtab_cursor* cursor) {
    delete static_cast<Cursor*>(cursor);
    return SQLITE_OK;
}

std::optional<std::string> text_of(sqlite3_value* value) {
    if (sqlite3_value_type(value) == SQLITE_NULL) return std::nullopt;
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return std::string(text ? text : "", static_cast<std::size_t>(sqlite3_value_bytes(value)));
}

std::int64_t integer_argument(sqlite3_value* value, const char* what, std::int64_t low, std::int64_t high) {
    const std::int64_t number = sqlite3_value_numeric_type(value) == SQLITE_INTEGER ? sqlite3_value_int64(value) : low - 1;
    if (number < low || number > high)
        throw std::invalid_argument(fmt::format("best_sets: {} must be an integer from {} to {}", what, low, high));
    return number;
}

void run_search(Cursor& cursor, SqlFunctionState& state, int given, sqlite3_value** argv) {
    cursor.rows.clear();
    cursor.at = 0;
    cursor.decoded = SIZE_MAX;
    cursor.arguments = {};
    int next = 0;
    std::array<sqlite3_value*, kArguments> values{};
    for (std::size_t a = 0; a < kArguments; ++a)
        if (given & (1 << a)) {
            values[a] = argv[next++];
            cursor.arguments[a] = text_of(values[a]);
        }
    // NULL in, nothing out (a NULL config or limit); a NULL filter is no filter.
    if (!cursor.arguments[0] || (values[1] && !cursor.arguments[1])) return;
    const std::shared_ptr<const Scorer> scorer = state_scorer(state, *cursor.arguments[0]);
    const Catalogue& catalogue = state_catalogue(state);
    cursor.catalogue = &catalogue;

    Filters filters;
    if (cursor.arguments[2]) {
        const std::string& text = *cursor.arguments[2];
        for (std::size_t start = 0; start <= text.size();) {
            std::size_t end = text.find(';', start);
            if (end == std::string::npos) end = text.size();
            const std::string item = text.substr(start, end - start);
            if (item.find_first_not_of(" \t") == std::string::npos) continue;
            try {
                filters.requirements.push_back(parse_requirement(item));
            } catch (const std::exception& e) {
                // parse_requirement speaks of the command line's --require; here it is an argument.
                std::string message = e.what();
                if (message.rfind("--require ", 0) == 0) message.replace(0, 10, "best_sets requirements: ");
                throw std::invalid_argument(message);
            }
            start = end + 1;
        }
    }
    if (values[3] && cursor.arguments[3])
        filters.min_defence = static_cast<int>(integer_argument(values[3], "min_defence", 0, 1000000000));
    const ResolvedFilters resolved = resolve_filters(catalogue, filters);

    SearchRequest request;
    request.limit = values[1] ? static_cast<std::size_t>(integer_argument(values[1], "n", 1, kMaxLimit))
                              : static_cast<std::size_t>(scorer->config().limit);
    request.threads = std::max(1u, std::thread::hardware_concurrency());
    // The search runs inside one step of the statement, where SQLite's progress handler is never
    // called: a watcher asks the host instead and stops the search through its cancel flag.
    std::atomic<bool> stop{false};
    const std::function<bool()>& should_stop = state_stop_check(state);
    if (should_stop && should_stop()) throw Stopped{};
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread watcher;
    if (should_stop)
        watcher = std::thread([&] {
            std::unique_lock<std::mutex> lock(mutex);
            while (!finished.wait_for(lock, std::chrono::milliseconds(10), [&] { return done; }))
                if (should_stop()) {
                    stop = true;
                    return;
                }
        });
    request.cancel = &stop;
    auto join = [&] {
        if (!watcher.joinable()) return;
        {
            std::lock_guard<std::mutex> lock(mutex);
            done = true;
        }
        finished.notify_one();
        watcher.join();
    };
    try {
        cursor.rows = branch_and_bound_top_n(catalogue, *scorer, request, resolved);
    } catch (...) {
        join();
        throw;
    }
    join();
    if (stop) {
        cursor.rows.clear();
        throw Stopped{};
    }
}

template <typename Call>
int report(sqlite3_vtab* table, Call call) {
    try {
        call();
        return SQLITE_OK;
    } catch (const Stopped&) {
        return SQLITE_INTERRUPT;
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    } catch (const std::exception& e) {
        return fail(table, e.what());
    } catch (...) {
        return fail(table, "unexpected error in best_sets");
    }
}

int filter(sqlite3_vtab_cursor* base, int idx_num, const char*, int, sqlite3_value** argv) {
    auto& cursor = *static_cast<Cursor*>(base);
    auto* table = static_cast<Table*>(base->pVtab);
    return report(table, [&] { run_search(cursor, *table->state, idx_num, argv); });
}

int next_row(sqlite3_vtab_cursor* cursor) {
    ++static_cast<Cursor*>(cursor)->at;
    return SQLITE_OK;
}

int at_end(sqlite3_vtab_cursor* base) {
    const auto& cursor = *static_cast<Cursor*>(base);
    return cursor.at >= cursor.rows.size();
}

int column(sqlite3_vtab_cursor* base, sqlite3_context* context, int index) {
    auto& cursor = *static_cast<Cursor*>(base);
    return report(base->pVtab, [&] {
        if (index >= kFirstArgument) {
            const auto& argument = cursor.arguments[static_cast<std::size_t>(index - kFirstArgument)];
            if (argument) sqlite3_result_text(context, argument->data(), static_cast<int>(argument->size()), SQLITE_TRANSIENT);
            return;
        }
        const Ranked& row = cursor.rows[cursor.at];
        switch (index) {
            case kRank: sqlite3_result_int64(context, static_cast<sqlite3_int64>(cursor.at + 1)); return;
            case kId: sqlite3_result_int64(context, static_cast<sqlite3_int64>(row.key)); return;
            case kScore: sqlite3_result_double(context, row.score); return;
            default: break;
        }
        cursor.decode();
        if (index >= kHead && index <= kCharm) {
            const Part part = static_cast<Part>(index - kHead);
            const std::string& name = cursor.catalogue->pieces(part)[cursor.positions[index_of(part)]].name;
            sqlite3_result_text(context, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
        } else if (index == kDefence) {
            sqlite3_result_int(context, cursor.totals.defence);
        } else {
            sqlite3_result_int(context, cursor.totals.slots[static_cast<std::size_t>(index - kSlots1)]);
        }
    });
}

int rowid(sqlite3_vtab_cursor* base, sqlite3_int64* out) {
    *out = static_cast<sqlite3_int64>(static_cast<Cursor*>(base)->at + 1);
    return SQLITE_OK;
}

sqlite3_module make_module() {
    sqlite3_module module;
    std::memset(&module, 0, sizeof module);
    module.iVersion = 0;
    module.xCreate = nullptr;  // eponymous only: best_sets(...) needs no CREATE VIRTUAL TABLE
    module.xConnect = connect;
    module.xBestIndex = best_index;
    module.xDisconnect = disconnect;
    module.xDestroy = disconnect;
    module.xOpen = open_cursor;
    module.xClose = close_cursor;
    module.xFilter = filter;
    module.xNext = next_row;
    module.xEof = at_end;
    module.xColumn = column;
    module.xRowid = rowid;
    return module;
}

const sqlite3_module kModule = make_module();

}  // namespace

void register_best_sets(sqlite3* db, const std::shared_ptr<SqlFunctionState>& state) {
    auto* holder = new std::shared_ptr<SqlFunctionState>(state);
    const int rc = sqlite3_create_module_v2(db, "best_sets", &kModule, holder,
                                            [](void* p) { delete static_cast<std::shared_ptr<SqlFunctionState>*>(p); });
    // On failure SQLite has already called the destructor.
    if (rc != SQLITE_OK) throw std::runtime_error(fmt::format("registering best_sets: {}", sqlite3_errmsg(db)));
    // Connect the eponymous table now: connecting declares its schema, which an authorizer that
    // admits only reads (mhwopt's read-only guard) would take for a change to the schema.
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT rank FROM best_sets(NULL)", -1, &statement, nullptr);
    sqlite3_finalize(statement);
}

}  // namespace mhwopt::db
