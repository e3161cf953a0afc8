#include "core/catalogue.hpp"

#include <limits>

namespace mhwopt {

SkillId Catalogue::intern_skill(std::string_view name) {
    auto found = skill_ids_.find(std::string(name));
    if (found != skill_ids_.end()) return found->second;
    auto id = static_cast<SkillId>(skill_names_.size());
    skill_names_.emplace_back(name);
    skill_ids_.emplace(std::string(name), id);
    return id;
}

std::optional<SkillId> Catalogue::find_skill(std::string_view name) const {
    auto found = skill_ids_.find(std::string(name));
    if (found == skill_ids_.end()) return std::nullopt;
    return found->second;
}

void Catalogue::add_piece(Piece piece) { parts_[index_of(piece.part)].push_back(std::move(piece)); }

std::size_t Catalogue::piece_count() const {
    std::size_t total = 0;
    for (const auto& part : parts_) total += part.size();
    return total;
}

std::uint64_t Catalogue::combination_count() const {
    std::uint64_t product = 1;
    for (const auto& part : parts_) {
        if (part.empty()) return 0;
        if (product > std::numeric_limits<std::uint64_t>::max() / part.size())
            return std::numeric_limits<std::uint64_t>::max();
        product *= part.size();
    }
    return product;
}

std::optional<std::uint32_t> Catalogue::find_piece(Part part, std::string_view name) const {
    const auto& pieces = parts_[index_of(part)];
    for (std::size_t i = 0; i < pieces.size(); ++i)
        if (pieces[i].name == name) return static_cast<std::uint32_t>(i);
    return std::nullopt;
}

std::string part_sizes_text(const Catalogue& catalogue, std::string_view separator) {
    std::string text;
    for (Part part : kAllParts) {
        if (!text.empty()) text += separator;
        text += std::to_string(catalogue.pieces(part).size());
    }
    return text;
}

}  // namespace mhwopt
