#include "db/extension/sql_functions.hpp"

#include <cctype>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <list>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/placement.hpp"
#include "core/scorer.hpp"
#include "core/weapon_slots.hpp"
#include "core/top_n.hpp"
#include "db/extension/best_sets.hpp"
#include "db/extension/catalogue_reader.hpp"
#include "db/extension/combination_lookup.hpp"
#include "db/extension/c_statement.hpp"
#include "io/config_reader.hpp"
#include "io/decorated_results_writer.hpp"

namespace mhwopt::db {

// What decorated_score, placement and placed_skill need for one (CONFIG, WEAPON_SLOTS) on one
// connection's catalogue: the placement model (built once, as run builds it, without requirements)
// and a solver (its scratch space and solve cache serve every row), plus the last id solved, since
// a query often asks two of the functions about the same row.
struct PlacedModel {
    PlacedModel(const Catalogue& catalogue, std::shared_ptr<const Scorer> scorer_, const std::vector<Decoration>& decorations,
                WeaponSlots weapon_, const std::vector<ResolvedFilters::Requirement>& requirements = {})
        : scorer(std::move(scorer_)), model(catalogue, *scorer, decorations, requirements), weapon(std::move(weapon_)), solver(model) {}
    std::shared_ptr<const Scorer> scorer;  // the model refers to it
    PlacementModel model;
    WeaponSlots weapon;
    PlacementSolver solver;
    std::int64_t solved_id = -1;
    Placement placement;
    Totals raw;
};

// What one mhwopt_top_n aggregate holds while it runs (see top_n_step below).
struct TopNRun {
    explicit TopNRun(std::size_t limit) : top(limit) {}
    TopN top;
    CombinationLookup* lookup = nullptr;   // the fused form's, resolved on the first row
    std::shared_ptr<const Scorer> scorer;  // held for the statement's life
    // A decorated ranking's model (the connection's current one, which outlives the statement), and
    // the last row solved against a floor: mhwopt_may_rank solves the row, then the step reuses it.
    PlacedModel* placed = nullptr;
    std::int64_t checked_id = -1;
    double checked_floor = 0.0;
    bool checked_ranks = false;
    Placement checked;  // its vectors reused from row to row
    // Rows scoring below this cannot rank: another share of the same ranking already holds N rows
    // at or above it (SqlFunctions::set_ranking_floor). -inf for any other aggregate.
    double seed_floor = -std::numeric_limits<double>::infinity();

    // The score a row must reach to be kept: the seed, raised to the N-th best once N are held.
    double cut() const { return top.full() ? std::max(seed_floor, top.worst().score) : seed_floor; }
};

// Per-connection state: the catalogue, flattened, and the scorers built so far.
class SqlFunctionState {
public:
    SqlFunctionState(sqlite3* db, WarningSink warn) : db_(db), warn_(std::move(warn)) {}

    CombinationLookup& lookup() {
        if (!lookup_) lookup_.emplace(read_catalogue(db_));
        return *lookup_;
    }

    void set_current(const Config& config) {
        current_ = std::make_shared<const Scorer>(lookup().catalogue(), config);
        current_placed_.reset();
    }
    void set_current_placed(const Config& config, const WeaponSlots& weapon, const std::vector<ResolvedFilters::Requirement>& requirements) {
        set_current(config);
        current_placed_ = std::make_unique<PlacedModel>(lookup().catalogue(), current_, decorations(), weapon, requirements);
    }
    // The decorated model mhwopt_top_n(id, N) ranks by, or null for the plain score.
    PlacedModel* current_placed() { return current_placed_.get(); }
    std::function<bool()> stop_check;

    const std::shared_ptr<const Scorer>& current_scorer() {
        if (!current_) {
            CStatement latest(db_, "SELECT config_text, config_source FROM score_run ORDER BY id DESC LIMIT 1");
            if (!latest.step())
                throw std::runtime_error(
                    "score(id): no config yet; give one, score(id, 'config.json'), or save a ranking with 'mhwopt score CONFIG.json'");
            current_ = std::make_shared<const Scorer>(lookup().catalogue(), read_config_text(latest.text(0), latest.text(1), warn_));
        }
        return current_;
    }

    // Parses each distinct CONFIG argument once a connection (a few recent ones are kept).
    std::shared_ptr<const Scorer> scorer_for(std::string_view argument) {
        for (auto it = recent_.begin(); it != recent_.end(); ++it)
            if (it->first == argument) {
                recent_.splice(recent_.begin(), recent_, it);
                return recent_.front().second;
            }
        std::size_t start = 0;
        while (start < argument.size() && std::isspace(static_cast<unsigned char>(argument[start]))) ++start;
        const bool is_json = start < argument.size() && argument[start] == '{';
        const std::string text(argument);
        const Config config = is_json ? read_config_text(text, "score() config", warn_) : read_config_file(text, warn_);
        recent_.emplace_front(text, std::make_shared<const Scorer>(lookup().catalogue(), config));
        if (recent_.size() > kRecentConfigs) recent_.pop_back();
        return recent_.front().second;
    }

    // The fused mhwopt_top_n(id, N) running on this connection (the latest to start), which
    // mhwopt_may_rank asks; cleared by its final call.
    TopNRun* ranking = nullptr;
    // The chunk of a `score` ranking that mhwopt_rank_row feeds (SqlFunctions::begin_ranking_chunk).
    struct RankingChunk {
        std::int64_t last_id = 0;
        std::int64_t max_rows = 0;
        std::int64_t rows = 0;
        std::int64_t last_ranked = 0;
        std::unique_ptr<TopNRun> run;
    };
    std::optional<RankingChunk> chunk;

    const std::vector<Decoration>& decorations() {
        if (!decorations_) decorations_ = read_stored_decorations(db_, lookup().catalogue());
        return *decorations_;
    }

    // The model for a CONFIG and WEAPON_SLOTS text, built once a connection (a few recent ones kept).
    PlacedModel& placed_for(const char* function, std::string_view config, std::string_view slots) {
        for (auto it = recent_placed_.begin(); it != recent_placed_.end(); ++it)
            if (it->config == config && it->slots == slots) {
                recent_placed_.splice(recent_placed_.begin(), recent_placed_, it);
                return *recent_placed_.front().placed;
            }
        const std::optional<WeaponSlots> weapon = parse_weapon_slots_text(slots);
        if (!weapon)
            throw std::invalid_argument(fmt::format("{}(id, ..., WEAPON_SLOTS): found '{}', expected {}, or '' for none", function,
                                                    slots.substr(0, 40), kWeaponSlotsExpected));
        auto placed = std::make_unique<PlacedModel>(lookup().catalogue(), scorer_for(config), decorations(), *weapon);
        recent_placed_.push_front(RecentPlaced{std::string(config), std::string(slots), std::move(placed)});
        if (recent_placed_.size() > kRecentConfigs) recent_placed_.pop_back();
        return *recent_placed_.front().placed;
    }

private:
    static constexpr std::size_t kRecentConfigs = 8;
    std::optional<std::vector<Decoration>> decorations_;
    struct RecentPlaced {
        std::string config;
        std::string slots;
        std::unique_ptr<PlacedModel> placed;
    };
    std::list<RecentPlaced> recent_placed_;
    sqlite3* db_;
    WarningSink warn_;
    std::optional<CombinationLookup> lookup_;
    std::shared_ptr<const Scorer> current_;
    std::unique_ptr<PlacedModel> current_placed_;
    std::list<std::pair<std::string, std::shared_ptr<const Scorer>>> recent_;
};

const Catalogue& state_catalogue(SqlFunctionState& state) { return state.lookup().catalogue(); }
std::shared_ptr<const Scorer> state_scorer(SqlFunctionState& state, std::string_view config) { return state.scorer_for(config); }
const std::function<bool()>& state_stop_check(SqlFunctionState& state) { return state.stop_check; }

namespace {

using State = std::shared_ptr<SqlFunctionState>;

SqlFunctionState& state_of(sqlite3_context* context) { return **static_cast<State*>(sqlite3_user_data(context)); }

std::int64_t id_argument(sqlite3_value* value, const char* function) {
    if (sqlite3_value_numeric_type(value) != SQLITE_INTEGER)
        throw std::invalid_argument(fmt::format("{}(id, ...): id must be an integer combination id", function));
    return sqlite3_value_int64(value);
}

std::string_view text_argument(sqlite3_value* value) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(value))) : std::string_view();
}

void score_current(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], "score");
    sqlite3_result_double(context, state.lookup().score(state.current_scorer(), id));
}

void score_with_config(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], "score");
    // SQLite keeps aux data while the argument stays the same constant: one lookup a statement.
    if (auto* cached = static_cast<std::shared_ptr<const Scorer>*>(sqlite3_get_auxdata(context, 1))) {
        sqlite3_result_double(context, state.lookup().score(*cached, id));
        return;
    }
    const std::shared_ptr<const Scorer> scorer = state.scorer_for(text_argument(argv[1]));
    const double score = state.lookup().score(scorer, id);
    sqlite3_set_auxdata(context, 1, new std::shared_ptr<const Scorer>(scorer),
                        [](void* p) { delete static_cast<std::shared_ptr<const Scorer>*>(p); });
    sqlite3_result_double(context, score);
}

// score(id, CONFIG) with CONFIG's JSON text only: a function of its arguments (and the catalogue),
// so it is declared deterministic and may stand in an index, where the path form may not.
void score_with_json(sqlite3_context* context, sqlite3_value** argv) {
    const std::string_view text = text_argument(argv[1]);
    std::size_t start = 0;
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    if (start == text.size() || text[start] != '{')
        throw std::invalid_argument(fmt::format("score_json(id, JSON): found '{}', expected a config's JSON text ('{{...}}'); "
                                                "for a file, score(id, '{}')",
                                                text.substr(0, 40), text.substr(0, 40)));
    score_with_config(context, argv);
}

void skill_level(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], "skill");
    // Aux data holds the resolved id, or UINT32_MAX for a skill no piece has (level 0).
    auto* cached = static_cast<SkillId*>(sqlite3_get_auxdata(context, 1));
    SkillId skill = UINT32_MAX;
    if (cached) {
        skill = *cached;
    } else {
        if (auto found = state.lookup().catalogue().find_skill(text_argument(argv[1]))) skill = *found;
    }
    const int level = state.lookup().skill_level(id, skill);  // no piece has UINT32_MAX: 0
    if (!cached) sqlite3_set_auxdata(context, 1, new SkillId(skill), [](void* p) { delete static_cast<SkillId*>(p); });
    sqlite3_result_int(context, level);
}

void defence_total(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    sqlite3_result_int(context, state.lookup().defence(id_argument(argv[0], "defence")));
}

void slots_of_level(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], "slots");
    const std::int64_t level = sqlite3_value_numeric_type(argv[1]) == SQLITE_INTEGER ? sqlite3_value_int64(argv[1]) : 0;
    if (level < 1 || level > static_cast<std::int64_t>(kSlotLevels))
        throw std::invalid_argument("slots(id, level): level must be 1, 2, 3 or 4");
    sqlite3_result_int(context, state.lookup().slots(id, static_cast<std::size_t>(level - 1)));
}

void piece_name(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], "piece");
    const std::string_view part_text = text_argument(argv[1]);
    const std::optional<Part> part = parse_part(part_text);
    if (!part)
        throw std::invalid_argument(fmt::format("piece(id, part): found '{}', expected Head, Body, Arms, Waist, Legs or Charm", part_text));
    const Positions positions = state.lookup().positions(id);
    const std::string& name = state.lookup().catalogue().pieces(*part)[positions[index_of(*part)]].name;
    sqlite3_result_text(context, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
}

// The best placement of the stored decorations in combination `id` (argv[0]) with CONFIG (argv[1])
// and WEAPON_SLOTS (argv[2]), exactly as `run --decorations ... --weapon-slots ...` places them.
const Placement& placed(sqlite3_context* context, sqlite3_value** argv, const char* function, PlacedModel*& model) {
    SqlFunctionState& state = state_of(context);
    const std::int64_t id = id_argument(argv[0], function);
    model = &state.placed_for(function, text_argument(argv[1]), text_argument(argv[2]));
    if (model->solved_id != id) {
        const Positions positions = state.lookup().positions(id);  // throws for an id out of range
        model->solved_id = -1;
        raw_totals_of(state.lookup().catalogue(), positions, model->weapon, model->raw);
        model->solver.solve(model->raw, &model->placement);
        model->solved_id = id;
    }
    return model->placement;
}

void decorated_score(sqlite3_context* context, sqlite3_value** argv) {
    PlacedModel* model = nullptr;
    sqlite3_result_double(context, placed(context, argv, "decorated_score", model).score);
}

void placement_of_id(sqlite3_context* context, sqlite3_value** argv) {
    PlacedModel* model = nullptr;
    const Placement& placement = placed(context, argv, "placement", model);
    const std::string text = placement_text(model->model.decorations(), placement);
    sqlite3_result_text(context, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// placed_skill(id, SKILL, CONFIG, WEAPON_SLOTS): run's skill column, t_s with the placement.
void placed_skill(sqlite3_context* context, sqlite3_value** argv) {
    sqlite3_value* rest[3] = {argv[0], argv[2], argv[3]};
    PlacedModel* model = nullptr;
    const Placement& placement = placed(context, rest, "placed_skill", model);
    const std::optional<SkillId> skill = state_of(context).lookup().catalogue().find_skill(text_argument(argv[1]));
    int level = 0;  // a skill no piece, bonus or decoration has: 0, as skill() gives
    if (skill)
        for (const SkillLevel& s : placement.totals.skills)
            if (s.skill == *skill) level = s.level;
    sqlite3_result_int(context, level);
}

// mhwopt_top_n(id, score, N): an aggregate that keeps the N best (score, id) pairs inside SQLite's
// own scan loop, so a ranking costs neither a sorter nor a row stepped out per combination. Its
// value is JSON text, best first, ties by the lower id as everywhere in mhwopt:
// [[id,score],...], each score written as the shortest decimal that reads back as the same double.
// Rows whose id or score is NULL are skipped (as sum() skips them); a NULL N gives NULL.
// mhwopt_top_n(id, N) is the same with score(id) computed inside the aggregate: one SQL function
// call a row instead of two, which is most of a ranking's cost beyond the scan itself.
// SQLite's aggregate context is zeroed memory: it holds only what is valid zeroed.
struct TopNAggregate {
    TopNRun* run;     // allocated on the first row, freed by the final call
    bool null_limit;  // N was NULL
};

// The aggregate's run, or null while N is NULL (the rows are then ignored).
TopNRun* top_n_of(sqlite3_context* context, sqlite3_value* limit_value) {
    auto* aggregate = static_cast<TopNAggregate*>(sqlite3_aggregate_context(context, sizeof(TopNAggregate)));
    if (!aggregate) throw std::bad_alloc();
    if (aggregate->run) return aggregate->run;
    if (aggregate->null_limit) return nullptr;
    if (sqlite3_value_type(limit_value) == SQLITE_NULL) {
        aggregate->null_limit = true;
        return nullptr;
    }
    const std::int64_t limit = sqlite3_value_numeric_type(limit_value) == SQLITE_INTEGER ? sqlite3_value_int64(limit_value) : 0;
    if (limit < 1 || limit > kMaxLimit)
        throw std::invalid_argument(fmt::format("mhwopt_top_n(id, ..., N): N must be an integer from 1 to {}", kMaxLimit));
    aggregate->run = new TopNRun(static_cast<std::size_t>(limit));
    return aggregate->run;
}

void top_n_step(sqlite3_context* context, sqlite3_value** argv) {
    TopNRun* run = top_n_of(context, argv[2]);
    if (!run || sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    run->top.offer({sqlite3_value_double(argv[1]), static_cast<CombinationKey>(sqlite3_value_int64(argv[0]))});
}

// A decorated ranking's test of a row (in range): whether its best placement may still rank, solved
// with the aggregate's N-th best score as the floor, so that a set whose every placement scores less
// mostly ends at the solver's root bound; when it may, run.checked holds that best placement, exact
// (a set reaching the floor exactly is solved in full: on an equal score the lower id ranks first,
// and rows need not come in id order). Kept for the row, so mhwopt_may_rank's solve serves the step
// that follows it: nothing changes the aggregate in between, and the floor is checked anyway.
bool decorated_may_rank(TopNRun& run, std::int64_t id) {
    const double floor = run.cut();
    if (run.checked_id == id && run.checked_floor == floor) return run.checked_ranks;
    run.checked_id = -1;  // until solved: a throw below leaves nothing half-made to reuse
    PlacedModel& placed = *run.placed;
    raw_totals_of(run.lookup->catalogue(), run.lookup->positions(id), placed.weapon, placed.raw);
    run.checked_ranks = placed.solver.solve(placed.raw, &run.checked, floor);
    run.checked_floor = floor;
    run.checked_id = id;
    return run.checked_ranks;
}

// Offers row `id` to the fused ranking `run`, scored by the connection's current config (or its
// best placement), skipping what the run's cut rules out.
void offer_current(SqlFunctionState& state, TopNRun& run, std::int64_t id) {
    if (!run.lookup) {
        run.scorer = state.current_scorer();
        run.lookup = &state.lookup();
        run.placed = state.current_placed();
        state.ranking = &run;
    }
    if (run.placed) {
        if (decorated_may_rank(run, id)) run.top.offer({run.checked.score, static_cast<CombinationKey>(id)});
        return;
    }
    // Once the cut is known, most rows' armour alone rules them out, without scoring them: the
    // result is exactly what offering every score would give (a bound never below a score).
    const double cut = run.cut();
    if (cut > -std::numeric_limits<double>::infinity() && run.lookup->below(run.scorer, id, cut)) return;
    run.top.offer({run.lookup->score(run.scorer, id), static_cast<CombinationKey>(id)});
}

void top_n_scored_step(sqlite3_context* context, sqlite3_value** argv) {
    TopNRun* run = top_n_of(context, argv[1]);
    if (!run) return;
    const int type = sqlite3_value_numeric_type(argv[0]);
    if (type == SQLITE_NULL) return;
    if (type != SQLITE_INTEGER) throw std::invalid_argument("mhwopt_top_n(id, N): id must be an integer combination id");
    offer_current(state_of(context), *run, sqlite3_value_int64(argv[0]));
}

// mhwopt_rank_row(id, PASSES): `score`'s ranking of one chunk of the stored rows, read in id order
// by "SELECT id FROM combination WHERE id >= FIRST AND mhwopt_rank_row(id, ...) LIMIT 1". Each
// row up to the chunk's last id is counted, and ranked when PASSES (the --where) is true; the
// function returns 1, ending the scan, on the chunk's row limit or the first id past its end.
// So a chunk stops after a bounded number of rows wherever the ids lie, at the cost of the scan
// and one function call a row (a LIMIT subquery feeding an aggregate cost 1.7x more).
void rank_row(sqlite3_context* context, sqlite3_value** argv) {
    SqlFunctionState& state = state_of(context);
    if (!state.chunk) throw std::invalid_argument("mhwopt_rank_row(id, PASSES): used by mhwopt score only");
    SqlFunctionState::RankingChunk& chunk = *state.chunk;
    // NULLs tested here rather than by `guarded`: one type test a row on score's hot path. The id is
    // a rowid, always an integer there.
    const int id_type = sqlite3_value_type(argv[0]);
    if (id_type == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    if (id_type != SQLITE_INTEGER) throw std::invalid_argument("mhwopt_rank_row(id, PASSES): id must be an integer combination id");
    const std::int64_t id = sqlite3_value_int64(argv[0]);
    if (id > chunk.last_id) {
        sqlite3_result_int(context, 1);
        return;
    }
    ++chunk.rows;
    chunk.last_ranked = id;
    if (sqlite3_value_int(argv[1]) != 0) offer_current(state, *chunk.run, id);
    sqlite3_result_int(context, chunk.rows >= chunk.max_rows ? 1 : 0);
}

// mhwopt_may_rank(id): 0 when the fused mhwopt_top_n(id, N) running on this connection already
// holds N rows and the row's armour bound rules it out, which is the test that aggregate's step
// makes first; else 1. Put before a costly condition (`score --where`), it spares evaluating that
// condition for the rows that cannot rank, and the result stays exactly the same: a row it rules
// out would have been passed over by the step anyway, and nothing changes the aggregate in between.
// Meant for a statement holding one such aggregate: with several at once it asks the latest.
// In a decorated ranking the armour bound says nothing (decorations add to it): the row is solved
// against the floor instead, once, and the step reuses that solve.
void may_rank(sqlite3_context* context, sqlite3_value** argv) {
    TopNRun* run = state_of(context).ranking;
    bool ruled_out = false;
    if (run && (run->cut() > -std::numeric_limits<double>::infinity() || run->placed) &&
        sqlite3_value_numeric_type(argv[0]) == SQLITE_INTEGER) {
        const std::int64_t id = sqlite3_value_int64(argv[0]);
        // An id out of range is left to the aggregate to report, in its own words.
        if (id >= 0 && static_cast<std::uint64_t>(id) < run->lookup->codec().count())
            ruled_out = run->placed ? !decorated_may_rank(*run, id) : run->lookup->below(run->scorer, id, run->cut());
    }
    sqlite3_result_int(context, ruled_out ? 0 : 1);
}

void append_json_number(std::string& out, double value) {
    // JSON has no infinities or NaN; SQLite's JSON reads 9e999 as infinity.
    if (value != value) out += "null";
    else if (value == std::numeric_limits<double>::infinity()) out += "9e999";
    else if (value == -std::numeric_limits<double>::infinity()) out += "-9e999";
    else fmt::format_to(std::back_inserter(out), "{}", value);
}

void top_n_final(sqlite3_context* context) {
    auto* aggregate = static_cast<TopNAggregate*>(sqlite3_aggregate_context(context, 0));
    const std::unique_ptr<TopNRun> run(aggregate ? aggregate->run : nullptr);  // freed whatever happens below
    if (run && state_of(context).ranking == run.get()) state_of(context).ranking = nullptr;
    if (aggregate && aggregate->null_limit) {
        sqlite3_result_null(context);
        return;
    }
    std::string json = "[";
    if (run)
        for (const Ranked& r : run->top.sorted()) {
            if (json.size() > 1) json += ',';
            fmt::format_to(std::back_inserter(json), "[{},", static_cast<std::int64_t>(r.key));
            append_json_number(json, r.score);
            json += ']';
        }
    json += ']';
    sqlite3_result_text(context, json.data(), static_cast<int>(json.size()), SQLITE_TRANSIENT);
}

// The one place that turns NULLs into NULL and C++ exceptions into SQL errors.
template <typename Call>
void report_errors(sqlite3_context* context, Call call) {
    try {
        call();
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(context);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    } catch (...) {
        sqlite3_result_error(context, "unexpected error in an mhwopt SQL function", -1);
    }
}

template <void (*Body)(sqlite3_context*, sqlite3_value**)>
void guarded(sqlite3_context* context, int argc, sqlite3_value** argv) {
    for (int i = 0; i < argc; ++i)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(context);
            return;
        }
    report_errors(context, [&] { Body(context, argv); });
}

// For a function that tests its NULL arguments itself.
template <void (*Body)(sqlite3_context*, sqlite3_value**)>
void nulls_handled(sqlite3_context* context, int, sqlite3_value** argv) {
    report_errors(context, [&] { Body(context, argv); });
}

// Aggregate steps see NULLs themselves (a NULL row is skipped, not the whole result NULL).
template <void (*Body)(sqlite3_context*, sqlite3_value**)>
void guarded_step(sqlite3_context* context, int, sqlite3_value** argv) {
    report_errors(context, [&] { Body(context, argv); });
}

template <void (*Body)(sqlite3_context*)>
void guarded_final(sqlite3_context* context) {
    report_errors(context, [&] { Body(context); });
}

const SqlFunctions::Definition kDefinitions[] = {
    // Not deterministic: score(id) follows the running command's or the latest saved config, and
    // score(id, 'file.json') reads a file that may change (an index over it would go stale).
    {"score", 1, guarded<score_current>, nullptr, false},
    {"score", 2, guarded<score_with_config>, nullptr, false},
    {"score_json", 2, guarded<score_with_json>},
    {"skill", 2, guarded<skill_level>},
    {"defence", 1, guarded<defence_total>},
    {"slots", 2, guarded<slots_of_level>},
    {"piece", 2, guarded<piece_name>},
    {"mhwopt_may_rank", 1, guarded<may_rank>, nullptr, false},
    {"mhwopt_rank_row", 2, nulls_handled<rank_row>, nullptr, false},
    // Not deterministic, as score(id, CONFIG): CONFIG may name a file that changes.
    {"decorated_score", 3, guarded<decorated_score>, nullptr, false},
    {"placement", 3, guarded<placement_of_id>, nullptr, false},
    {"placed_skill", 4, guarded<placed_skill>, nullptr, false},
    {"mhwopt_top_n", 2, guarded_step<top_n_scored_step>, guarded_final<top_n_final>, false},
    {"mhwopt_top_n", 3, guarded_step<top_n_step>, guarded_final<top_n_final>, false},
};

}  // namespace

std::vector<Ranked> parse_top_n(std::string_view json) {
    const std::string text(json);  // strtod and strtoll need the terminating NUL
    const char* p = text.c_str();
    auto fail = [&] {
        return std::invalid_argument(fmt::format("mhwopt_top_n result: found '{}' at character {}, expected [[id,score],...]",
                                                 std::string_view(p).substr(0, 20), p - text.c_str() + 1));
    };
    auto expect = [&](char c) {
        if (*p != c) throw fail();
        ++p;
    };
    std::vector<Ranked> ranked;
    expect('[');
    while (*p == '[') {
        ++p;
        char* end = nullptr;
        const long long id = std::strtoll(p, &end, 10);
        if (end == p || id < 0) throw fail();
        p = end;
        expect(',');
        double score = std::numeric_limits<double>::quiet_NaN();
        if (std::string_view(p).substr(0, 4) == "null") {
            p += 4;
        } else {
            score = std::strtod(p, &end);  // exact: the text is the shortest that reads back the same
            if (end == p) throw fail();
            p = end;
        }
        expect(']');
        ranked.push_back({score, static_cast<CombinationKey>(id)});
        if (*p == ',') ++p;
    }
    expect(']');
    if (*p != '\0') throw fail();
    return ranked;
}

const SqlFunctions::Definition* SqlFunctions::definitions(std::size_t& count) {
    count = sizeof kDefinitions / sizeof kDefinitions[0];
    return kDefinitions;
}

SqlFunctions SqlFunctions::install(sqlite3* db, WarningSink warn) {
    auto state = std::make_shared<SqlFunctionState>(db, std::move(warn));
    for (const Definition& definition : kDefinitions) {
        // Each registration owns a reference, so the state outlives whichever function goes last.
        auto* holder = new State(state);
        // The deterministic ones only read their arguments and the catalogue: innocuous, so they may
        // stand in a schema (an index) even with trusted_schema off. score(id, 'file') reads files.
        const int flags = SQLITE_UTF8 | (definition.deterministic ? SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS : 0);
        const int rc = sqlite3_create_function_v2(db, definition.name, definition.arity, flags, holder,
                                                  definition.final ? nullptr : definition.call, definition.final ? definition.call : nullptr,
                                                  definition.final,
                                                  [](void* p) { delete static_cast<State*>(p); });
        // On failure SQLite has already called the destructor.
        if (rc != SQLITE_OK)
            throw std::runtime_error(fmt::format("registering SQL function {}: {}", definition.name, sqlite3_errmsg(db)));
    }
    register_best_sets(db, state);
    return SqlFunctions(state);
}

void SqlFunctions::set_current_config(const Config& config) { state_->set_current(config); }

void SqlFunctions::set_current_placement(const Config& config, const WeaponSlots& weapon,
                                         const std::vector<ResolvedFilters::Requirement>& requirements) {
    state_->set_current_placed(config, weapon, requirements);
}

void SqlFunctions::begin_ranking_chunk(std::int64_t last_id, std::int64_t max_rows, std::size_t limit, double floor) {
    SqlFunctionState::RankingChunk chunk;
    chunk.last_id = last_id;
    chunk.max_rows = max_rows;
    chunk.run = std::make_unique<TopNRun>(limit);
    chunk.run->seed_floor = floor;
    state_->chunk = std::move(chunk);
}

RankingChunkResult SqlFunctions::end_ranking_chunk() {
    if (!state_->chunk) throw std::logic_error("end_ranking_chunk without begin_ranking_chunk");
    SqlFunctionState::RankingChunk chunk = std::move(*state_->chunk);
    state_->chunk.reset();
    if (state_->ranking == chunk.run.get()) state_->ranking = nullptr;
    return RankingChunkResult{chunk.run->top.sorted(), chunk.rows, chunk.last_ranked};
}

void SqlFunctions::set_stop_check(std::function<bool()> check) { state_->stop_check = std::move(check); }

}  // namespace mhwopt::db
