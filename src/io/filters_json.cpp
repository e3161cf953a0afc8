#include "io/filters_json.hpp"

#include <nlohmann/json.hpp>

namespace mhwopt {

std::string filters_to_json(const Filters& filters) {
    nlohmann::json json = nlohmann::json::object();
    if (filters.min_defence) json["min_defence"] = *filters.min_defence;
    json["require"] = nlohmann::json::array();
    for (const auto& r : filters.requirements) json["require"].push_back(nlohmann::json{{"skill", r.skill}, {"min_level", r.min_level}});
    json["exclude"] = filters.excluded;
    json["pin"] = filters.pinned;
    return json.dump();
}

Filters filters_from_json(const std::string& text) {
    const nlohmann::json json = nlohmann::json::parse(text);
    Filters filters;
    if (json.contains("min_defence")) filters.min_defence = json["min_defence"].get<int>();
    for (const auto& r : json["require"]) filters.requirements.push_back({r["skill"].get<std::string>(), r["min_level"].get<int>()});
    filters.excluded = json["exclude"].get<std::vector<std::string>>();
    filters.pinned = json["pin"].get<std::vector<std::string>>();
    return filters;
}

}  // namespace mhwopt
