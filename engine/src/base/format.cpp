#include "vram/base/format.hpp"

#include <cmath>

namespace vram {

std::string format_count(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return value != value ? "nan" : value < 0 ? "-inf" : "inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    const std::string digits = format_count(static_cast<std::uint64_t>(std::fabs(value)));
    return value < 0 ? "-" + digits : digits;
  }
  // Six significant digits, as %.6g: m × 10^(e − 5) with 100000 ≤ m < 1000000.
  const bool negative = value < 0;
  const double a = std::fabs(value);
  int e = static_cast<int>(std::floor(std::log10(a)));
  auto mantissa = [&](int exp) { return std::llround(a / std::pow(10.0, exp - 5)); };
  long long m = mantissa(e);
  if (m >= 1000000) m = mantissa(++e);
  if (m < 100000) m = mantissa(--e);
  if (m >= 1000000) { m /= 10; ++e; }
  std::string digits = std::to_string(m);  // six digits
  std::string out = negative ? "-" : "";
  if (e < -4 || e >= 6) {
    std::string frac = digits.substr(1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += digits.substr(0, 1);
    if (!frac.empty()) out += "." + frac;
    out += e < 0 ? "e-" : "e+";
    const int ae = e < 0 ? -e : e;
    if (ae < 10) out += '0';
    out += std::to_string(ae);
    return out;
  }
  std::string whole, frac;
  if (e >= 0) {
    whole = digits.substr(0, static_cast<std::size_t>(e) + 1);
    frac = digits.substr(static_cast<std::size_t>(e) + 1);
  } else {
    whole = "0";
    frac = std::string(static_cast<std::size_t>(-e - 1), '0') + digits;
  }
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  out += whole;
  if (!frac.empty()) out += "." + frac;
  return out;
}

// Integer arithmetic only (no printf): rounds half up to the shown decimals without overflow for
// any 64-bit byte count.
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
    const std::uint64_t whole = bytes / u.size;
    const std::uint64_t frac = ((bytes % u.size) * scale + u.size / 2) / u.size;
    const std::uint64_t w = whole + frac / scale;
    const std::uint64_t f = frac % scale;
    std::string out = std::to_string(w);
    out.push_back('.');
    if (u.decimals == 2 && f < 10) out.push_back('0');
    out += std::to_string(f);
    out += u.name;
    return out;
  }
  return std::to_string(bytes) + " B";
}

}  // namespace vram
