// Formulas that explain themselves. A Q is an exact integer quantity (bytes, elements, tokens …)
// built from labelled terms: the same expression yields the number and, when explanations are on,
// its explanation as a person works it out by hand ("2 × 32 layers × 8 kv_heads × 128 head_dim ×
// 8,192 tokens × 2 B (bf16) = 1.00 GiB"), so the text cannot drift from the arithmetic.
//
// Arithmetic is checked: a result above 2^62 poisons the quantity (and everything computed from
// it) with an overflow blamed on the largest user-written input that went into it — a config key
// or an option — and the estimate turns that into an error naming the field. Nothing wraps.
//
// Explanations are built only inside an ExplainScope (one switch for the whole engine: sweeps and
// inverse solves evaluate thousands of estimates and read only the numbers). Labels are message
// ids (message.hpp), so explanations render in the reader's language.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/message.hpp"

namespace vram {

inline constexpr std::uint64_t kQuantityLimit = std::uint64_t{1} << 62;

// Quantities keep their expression trees unless an ExplainScope(false) is alive (sweeps, inverse
// solves); ExplainScope(true) turns them back on inside one.
[[nodiscard]] bool explaining() noexcept;
class ExplainScope {
 public:
  explicit ExplainScope(bool on) noexcept;
  ~ExplainScope();
  ExplainScope(const ExplainScope&) = delete;
  ExplainScope& operator=(const ExplainScope&) = delete;

 private:
  bool previous_;
};

// A user-written field a quantity came from: an option id or a config key path. The name is a
// view: option ids are literals, config key paths live in the model's description, and a Q never
// outlives the estimate that made it.
struct Field {
  enum class Kind : std::uint8_t { None, Option, Key };
  Kind kind = Kind::None;
  std::string_view name;
  [[nodiscard]] bool empty() const { return kind == Kind::None; }
  [[nodiscard]] Arg arg(std::string_view as) const {
    return kind == Kind::Option ? Arg(as, OptionRef{name}) : Arg(as, ConfigKey{std::string(name)});
  }
};
[[nodiscard]] constexpr Field option_field(std::string_view id) { return {Field::Kind::Option, id}; }
[[nodiscard]] constexpr Field config_field(std::string_view path) { return {Field::Kind::Key, path}; }

namespace detail {
struct Node;
}

class Q {
 public:
  Q() = default;

  // A constant of the formula, with its label ("2", "16 tokens per block").
  static Q of(std::uint64_t value, Message label = {});
  // A value the user wrote (an option, a config field): overflows are blamed on it.
  static Q input(std::uint64_t value, Message label, Field field);
  // A byte count rendered in binary units ("1.31 GiB CUDA context").
  static Q bytes(std::uint64_t value, Message label = {});

  [[nodiscard]] std::uint64_t value() const { return value_; }
  [[nodiscard]] bool overflowed() const { return overflow_; }
  [[nodiscard]] const Field& blame() const { return blame_; }
  [[nodiscard]] const std::shared_ptr<const detail::Node>& node() const { return node_; }

  // The same value under a name: "attention (… = 1.20 GiB)" inside a max() or a sum.
  [[nodiscard]] Q named(Message label) const;
  // The value is now a byte count: it renders in binary units where it appears as a term.
  [[nodiscard]] Q as_bytes() const;

  friend Q operator*(const Q& a, const Q& b);
  friend Q operator+(const Q& a, const Q& b);
  Q& operator*=(const Q& b) { return *this = *this * b; }
  Q& operator+=(const Q& b) { return *this = *this + b; }

 private:
  friend struct QAccess;
  std::uint64_t value_ = 0;
  bool overflow_ = false;
  Field blame_;
  std::uint64_t blame_value_ = 0;
  std::shared_ptr<const detail::Node> node_;
};

// a − b, never below 0 (rendered "max(0, a − b)" when b > a can happen).
[[nodiscard]] Q minus(const Q& a, const Q& b);
// ⌊a ÷ b⌋ and ⌈a ÷ b⌉ (b = 0 gives 0).
[[nodiscard]] Q div(const Q& a, const Q& b);
[[nodiscard]] Q ceil_div(const Q& a, const Q& b);
// ⌈a ÷ b⌉ × b.
[[nodiscard]] Q round_up(const Q& a, const Q& b);
[[nodiscard]] Q max(std::initializer_list<Q> qs);
[[nodiscard]] Q min(std::initializer_list<Q> qs);
[[nodiscard]] Q max(const std::vector<Q>& qs);
// ⌊a × ratio⌋ for a fraction the user or the model gives (gpu_memory_utilization 0.9, a stage's
// share of the layers); the ratio is a labelled term.
[[nodiscard]] Q scale(const Q& a, double ratio, Message label, Field field = {});
// Σ over a list (an empty list is 0).
[[nodiscard]] Q sum(const std::vector<Q>& qs);

// The explanation of a quantity in one language: its expression, and " = <value>" (in binary units
// for bytes) unless the expression is a single term already showing it.
struct Explanation {
  std::string formula;  // "2 × 32 layers × … × 2 B (bf16)"
  std::string result;   // "1.00 GiB"
  [[nodiscard]] std::string text() const { return result.empty() ? formula : formula + " = " + result; }
};
[[nodiscard]] Explanation explain(const Q& q, const Catalog& catalog, Spelling spelling = Spelling::Engine);

}  // namespace vram
