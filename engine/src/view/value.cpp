#include "vram/view/value.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace vram {
namespace {

void escape(std::string& out, const std::string& s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      // HTML-safe: "</script>" or "<!--" inside a string cannot end or change an inline script.
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += "0123456789abcdef"[c >> 4];
          out += "0123456789abcdef"[c & 15];
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";  // JS line terminators
          i += 2;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void write(std::string& out, const Value& v, int indent, int depth) {
  const auto newline = [&](int d) {
    if (indent <= 0) return;
    out.push_back('\n');
    out.append(static_cast<std::size_t>(d * indent), ' ');
  };
  switch (v.kind()) {
    case Value::Kind::Null: out += "null"; break;
    case Value::Kind::Bool: out += v.boolean() ? "true" : "false"; break;
    case Value::Kind::UInt: out += std::to_string(v.uint()); break;
    case Value::Kind::Int: out += std::to_string(v.sint()); break;
    case Value::Kind::Number: {
      const double d = v.number();
      if (!std::isfinite(d)) {
        out += "null";
        break;
      }
      char buf[64];
      out.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, d));
      break;
    }
    case Value::Kind::String: escape(out, v.string()); break;
    case Value::Kind::Array:
      if (v.items().empty()) {
        out += "[]";
        break;
      }
      out.push_back('[');
      for (std::size_t i = 0; i < v.items().size(); ++i) {
        if (i) out.push_back(',');
        newline(depth + 1);
        write(out, v.items()[i], indent, depth + 1);
      }
      newline(depth);
      out.push_back(']');
      break;
    case Value::Kind::Object:
      if (v.fields().empty()) {
        out += "{}";
        break;
      }
      out.push_back('{');
      for (std::size_t i = 0; i < v.fields().size(); ++i) {
        if (i) out.push_back(',');
        newline(depth + 1);
        escape(out, v.fields()[i].first);
        out += indent > 0 ? ": " : ":";
        write(out, v.fields()[i].second, indent, depth + 1);
      }
      newline(depth);
      out.push_back('}');
      break;
  }
}

}  // namespace

std::string to_json(const Value& v, int indent) {
  std::string out;
  write(out, v, indent, 0);
  return out;
}

}  // namespace vram
