// Messages as values: an id of the message catalog (engine/messages/en.json, one template per id)
// and its arguments. The engine never writes English (or any language) into its results: errors,
// warnings, sources and the labels of formula terms are Messages, rendered by the front end in its
// language with `render` — the CLI with the English catalog compiled into it, the page with the
// catalog of the reader's language (engine/messages/<lang>.json), handed to the engine at start.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vram/messages_ids.hpp"

namespace vram {

// A field the user wrote: an option id ("context", spelled by each front end in its own way:
// --context, context) or a config key path (text_config.hidden_size, always shown as written).
struct OptionRef {
  std::string_view id;
};
struct ConfigKey {
  std::string path;
};
// A byte count, rendered in binary units ("1.50 GiB").
struct Bytes {
  std::uint64_t n = 0;
};

// One argument of a message, substituted for "{name}" in the template.
struct Arg {
  enum class Kind : std::uint8_t { Text, Count, Number, Bytes, Option, Key, Message };
  std::string_view name;
  Kind kind = Kind::Text;
  std::string text;          // Text (verbatim user text: quoted by the template if it wants), Option id, Key path
  std::uint64_t count = 0;   // Count (thousands separators), Bytes
  double number = 0;         // Number (shortest decimal)
  Msg msg = Msg::none;       // Message: a catalog entry rendered in place (a dtype label, a unit)

  Arg(std::string_view n, std::string v) : name(n), text(std::move(v)) {}
  Arg(std::string_view n, const char* v) : name(n), text(v) {}
  Arg(std::string_view n, std::string_view v) : name(n), text(v) {}
  Arg(std::string_view n, std::uint64_t v) : name(n), kind(Kind::Count), count(v) {}
  Arg(std::string_view n, std::uint32_t v) : name(n), kind(Kind::Count), count(v) {}
  Arg(std::string_view n, std::int64_t v) : name(n), kind(Kind::Number), number(static_cast<double>(v)) {}
  Arg(std::string_view n, int v) : name(n), kind(Kind::Number), number(v) {}
  Arg(std::string_view n, double v) : name(n), kind(Kind::Number), number(v) {}
  Arg(std::string_view n, Bytes v) : name(n), kind(Kind::Bytes), count(v.n) {}
  Arg(std::string_view n, OptionRef v) : name(n), kind(Kind::Option), text(v.id) {}
  Arg(std::string_view n, ConfigKey v) : name(n), kind(Kind::Key), text(std::move(v.path)) {}
  Arg(std::string_view n, Msg v) : name(n), kind(Kind::Message), msg(v) {}
};

struct Message {
  Msg id = Msg::none;
  std::vector<Arg> args;

  Message() = default;
  Message(Msg m) : id(m) {}  // NOLINT(google-explicit-constructor)
  Message(Msg m, std::vector<Arg> a) : id(m), args(std::move(a)) {}
  [[nodiscard]] bool empty() const { return id == Msg::none; }
};

// Templates of one language, indexed by Msg (index 0 = Msg::none = "").
struct Catalog {
  std::vector<std::string> text;
  [[nodiscard]] std::string_view operator[](Msg m) const {
    const auto i = static_cast<std::size_t>(m);
    return i < text.size() ? std::string_view(text[i]) : std::string_view();
  }
};

// The English catalog, generated from engine/messages/en.json; linked only by native programs
// (target vram_messages_en), never by the WebAssembly module.
[[nodiscard]] const Catalog& english_catalog();

// How a front end spells option ids in messages: the CLI as --kebab-case flags, the bindings as
// camelCase properties (the page's knob names), the engine's own snake_case ids otherwise.
enum class Spelling : std::uint8_t { Engine, Cli, Js };
[[nodiscard]] std::string spell_option(std::string_view id, Spelling spelling);

// "{name}" → the argument's rendering; an unknown name stays as written; "{{" is a literal "{".
[[nodiscard]] std::string render(const Message& message, const Catalog& catalog, Spelling spelling = Spelling::Engine);

}  // namespace vram
