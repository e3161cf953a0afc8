#pragma once
// FNV-1a, 64 bits, over fields with a separator after each: the digests the database records of
// what a result was computed from (the catalogue's content hash, the stored decorations').
#include <cstdint>
#include <string>
#include <string_view>

namespace mhwopt::db {

class Fnv1a64 {
public:
    void add(std::string_view bytes) {
        for (unsigned char c : bytes) hash_ = (hash_ ^ c) * 0x100000001b3ULL;
        add_separator();
    }
    void add(std::int64_t number) { add(std::string_view(std::to_string(number))); }
    std::uint64_t value() const { return hash_; }

private:
    void add_separator() { hash_ = (hash_ ^ 0x1f) * 0x100000001b3ULL; }
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace mhwopt::db
