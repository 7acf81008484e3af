// A plain value tree (null, booleans, integers, numbers, strings, arrays, objects with snake_case
// keys in insertion order): what the engine's results look like to a front end. The field lists
// in views.hpp build it once per result type; the CLI writes it as JSON (to_json) and the bindings
// convert it to JS values (camelCase keys), so CLI JSON and WebAssembly output cannot diverge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vram {

class Value {
 public:
  enum class Kind : std::uint8_t { Null, Bool, UInt, Int, Number, String, Array, Object };

  Value() = default;
  Value(bool b) : kind_(Kind::Bool), b_(b) {}                                     // NOLINT
  Value(std::uint64_t u) : kind_(Kind::UInt), u_(u) {}                            // NOLINT
  Value(std::uint32_t u) : kind_(Kind::UInt), u_(u) {}                            // NOLINT
  Value(std::int64_t i) : kind_(Kind::Int), i_(i) {}                              // NOLINT
  Value(int i) : kind_(Kind::Int), i_(i) {}                                       // NOLINT
  Value(double d) : kind_(Kind::Number), d_(d) {}                                 // NOLINT
  Value(std::string s) : kind_(Kind::String), s_(std::move(s)) {}                 // NOLINT
  Value(std::string_view s) : kind_(Kind::String), s_(s) {}                       // NOLINT
  Value(const char* s) : kind_(Kind::String), s_(s) {}                            // NOLINT

  static Value array() {
    Value v;
    v.kind_ = Kind::Array;
    return v;
  }
  static Value object() {
    Value v;
    v.kind_ = Kind::Object;
    return v;
  }
  template <class T, class F>
  static Value array_of(const T& items, F&& convert) {
    Value v = array();
    for (const auto& x : items) v.push(convert(x));
    return v;
  }

  Value& set(std::string_view key, Value v) {
    fields_.emplace_back(std::string(key), std::move(v));
    return *this;
  }
  Value& push(Value v) {
    items_.push_back(std::move(v));
    return *this;
  }

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool boolean() const { return b_; }
  [[nodiscard]] std::uint64_t uint() const { return u_; }
  [[nodiscard]] std::int64_t sint() const { return i_; }
  [[nodiscard]] double number() const { return d_; }
  [[nodiscard]] const std::string& string() const { return s_; }
  [[nodiscard]] const std::vector<Value>& items() const { return items_; }
  [[nodiscard]] const std::vector<std::pair<std::string, Value>>& fields() const { return fields_; }
  [[nodiscard]] const Value* find(std::string_view key) const {
    for (const auto& [k, v] : fields_)
      if (k == key) return &v;
    return nullptr;
  }

 private:
  Kind kind_ = Kind::Null;
  bool b_ = false;
  std::uint64_t u_ = 0;
  std::int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> fields_;
};

// JSON text: integers exactly, numbers as the shortest round-trip decimal, strings escaped
// (every '<', '>', '&', U+2028 and U+2029 too, so the text can sit inside an HTML <script>).
[[nodiscard]] std::string to_json(const Value& v, int indent = 2);

}  // namespace vram
