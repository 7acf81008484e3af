#include "vram/base/message.hpp"

#include "vram/base/format.hpp"

namespace vram {

std::string spell_option(std::string_view id, Spelling spelling) {
  std::string out;
  switch (spelling) {
    case Spelling::Engine: return std::string(id);
    case Spelling::Cli:
      out = "--";
      for (char c : id) out.push_back(c == '_' ? '-' : c);
      return out;
    case Spelling::Js: {
      bool up = false;
      for (char c : id) {
        if (c == '_') {
          up = true;
          continue;
        }
        out.push_back(up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        up = false;
      }
      return out;
    }
  }
  return std::string(id);
}

namespace {

std::string render_arg(const Arg& a, const Catalog& catalog, Spelling spelling) {
  switch (a.kind) {
    case Arg::Kind::Text: return a.text;
    case Arg::Kind::Count: return format_count(a.count);
    case Arg::Kind::Number: return format_number(a.number);
    case Arg::Kind::Bytes: return format_bytes(a.count);
    case Arg::Kind::Option: return spell_option(a.text, spelling);
    case Arg::Kind::Key: return a.text;
    case Arg::Kind::Message: return std::string(catalog[a.msg]);
  }
  return a.text;
}

}  // namespace

std::string render(const Message& m, const Catalog& catalog, Spelling spelling) {
  const std::string_view t = catalog[m.id];
  std::string out;
  out.reserve(t.size() + 16);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    const std::size_t close = t.find('}', i + 1);
    if (close == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    const std::string_view name = t.substr(i + 1, close - i - 1);
    const Arg* found = nullptr;
    for (const Arg& a : m.args)
      if (a.name == name) found = &a;
    if (found) {
      out += render_arg(*found, catalog, spelling);
    } else {
      out.append(t.substr(i, close - i + 1));
    }
    i = close;
  }
  return out;
}

}  // namespace vram
