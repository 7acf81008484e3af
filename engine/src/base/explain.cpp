#include "vram/base/explain.hpp"

#include <cmath>
#include <cstdio>

namespace vram {
namespace {

bool g_explaining = true;

std::string with_commas(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Before a factor: " × " after a term, nothing after an opening "(" and one space after an operator
// ("… + ", "… = ", "… × "), so text(" × (").times(2, "states") reads "× (2 states", not "× ( × 2 states".
void separate_factor(std::string& s) {
  if (s.empty()) return;
  const std::size_t last = s.find_last_not_of(' ');
  const char c = last == std::string::npos ? '(' : s[last];
  if (c == '(') return;
  const bool after_times = last != std::string::npos && last >= 1 && s.compare(last - 1, 2, "×") == 0;
  if (c == '+' || c == '=' || c == ':' || after_times) {
    if (s.back() != ' ') s.push_back(' ');
    return;
  }
  s += " × ";
}

}  // namespace

std::string format_count(std::uint64_t value) { return with_commas(value); }

bool explaining() noexcept { return g_explaining; }
QuietExplain::QuietExplain() noexcept : previous_(g_explaining) { g_explaining = false; }
QuietExplain::~QuietExplain() { g_explaining = previous_; }

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    std::string digits = with_commas(static_cast<std::uint64_t>(std::fabs(value)));
    return value < 0 ? "-" + digits : digits;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

// Integer arithmetic only: snprintf("%.2f") dominated the cost of an estimate, most of all in
// WebAssembly, and every item's explain string ends with a formatted size.
std::string format_bytes(std::uint64_t bytes) {
  struct Unit {
    std::uint64_t size;
    const char* name;
    unsigned decimals;
  };
  static constexpr Unit kUnits[] = {{std::uint64_t{1} << 30, " GiB", 2}, {std::uint64_t{1} << 20, " MiB", 1}, {1024, " KiB", 1}};
  for (const Unit& u : kUnits) {
    if (bytes < u.size) continue;
    const std::uint64_t scale = u.decimals == 2 ? 100 : 10;
    // Round half up to the shown decimals without overflow for any 64-bit byte count.
    const std::uint64_t whole = bytes / u.size;
    const std::uint64_t frac = ((bytes % u.size) * scale + u.size / 2) / u.size;
    std::uint64_t w = whole + frac / scale;
    std::uint64_t f = frac % scale;
    std::string out = std::to_string(w);
    out.push_back('.');
    if (u.decimals == 2 && f < 10) out.push_back('0');
    out += std::to_string(f);
    out += u.name;
    return out;
  }
  return std::to_string(bytes) + " B";
}

Explain& Explain::times(std::uint64_t value, std::string_view unit) {
  if (!g_explaining) return *this;
  separate_factor(s_);
  s_ += with_commas(value);
  if (!unit.empty()) {
    s_ += ' ';
    s_ += unit;
  }
  return *this;
}

Explain& Explain::times(double value, std::string_view unit) {
  if (!g_explaining) return *this;
  separate_factor(s_);
  s_ += format_number(value);
  if (!unit.empty()) {
    s_ += ' ';
    s_ += unit;
  }
  return *this;
}

Explain& Explain::plus(std::string_view text) {
  if (!g_explaining) return *this;
  if (!s_.empty()) s_ += " + ";
  s_ += text;
  return *this;
}

Explain& Explain::text(std::string_view text) {
  if (!g_explaining) return *this;
  s_ += text;
  return *this;
}

Explain& Explain::equals_bytes(std::uint64_t bytes) {
  if (!g_explaining) return *this;
  s_ += " = ";
  s_ += format_bytes(bytes);
  return *this;
}

}  // namespace vram
