#include "vram/estimate/report.hpp"

#include <algorithm>

namespace vram {

const char* to_string(Phase phase) noexcept {
  switch (phase) {
    case Phase::Load: return "load";
    case Phase::Prefill: return "prefill";
    case Phase::Decode: return "decode";
    case Phase::Forward: return "forward";
    case Phase::Backward: return "backward";
    case Phase::OptimizerStep: return "optimizer_step";
  }
  return "load";
}

void finalize(Report& report) {
  // Phases in the order they first appear on items; GPU items only.
  report.phases.clear();
  report.cpu_bytes = 0;
  for (const auto& item : report.items) {
    if (item.cpu) {
      report.cpu_bytes = std::min(report.cpu_bytes + item.bytes, kQuantityLimit);
      continue;
    }
    for (Phase p : item.phases) {
      auto it = std::find_if(report.phases.begin(), report.phases.end(), [p](const PhaseTotal& t) { return t.phase == p; });
      if (it == report.phases.end()) {
        report.phases.push_back({p, 0});
        it = report.phases.end() - 1;
      }
      it->bytes = std::min(it->bytes + item.bytes, kQuantityLimit);  // items are ≤ 2^62 each
    }
  }
  std::sort(report.phases.begin(), report.phases.end(),
            [](const PhaseTotal& a, const PhaseTotal& b) { return a.phase < b.phase; });
  report.total_bytes = 0;
  report.peak_phase = Phase::Load;
  for (const auto& t : report.phases) {
    if (t.bytes > report.total_bytes) {
      report.total_bytes = t.bytes;
      report.peak_phase = t.phase;
    }
  }
  for (const auto& item : report.items)
    if (item.approximate) report.approximate = true;
}

}  // namespace vram

namespace vram {

void ReportBuilder::check(const Q& q) {
  if (!q.overflowed() || error_) return;
  const Field& f = q.blame();
  const std::string field = f.empty() ? std::string("config.json") : std::string(f.name);
  Message m{Msg::error_estimate_overflow, {f.empty() ? Arg("field", ConfigKey{field}) : f.arg("field")}};
  error_ = make_error(ErrorCode::Overflow, field, std::move(m));
}

LineItem& ReportBuilder::add(std::string id, const Q& bytes, Message source, PhaseSet phases, bool approximate, bool cpu) {
  check(bytes);
  LineItem i;
  i.id = std::move(id);
  i.bytes = bytes.value();
  i.formula = explaining() ? bytes.as_bytes() : bytes;
  if (explaining()) i.source = std::move(source);
  i.phases = phases;
  i.approximate = approximate;
  i.cpu = cpu;
  if (approximate && !cpu && explaining()) r_.approximate_reasons.push_back({Msg::approx_item, {{"item", i.id}, {"source", i.source.id}}});
  r_.items.push_back(std::move(i));
  return r_.items.back();
}

void ReportBuilder::fact(std::string id, const Q& value, Message note, bool bytes) {
  check(value);
  Fact f;
  f.id = std::move(id);
  f.value = static_cast<double>(value.value());
  f.bytes = bytes;
  if (explaining()) {
    f.formula = bytes ? value.as_bytes() : value;
    f.note = std::move(note);
  }
  r_.facts.push_back(std::move(f));
}

void ReportBuilder::fact(std::string id, double value, Message note) {
  Fact f;
  f.id = std::move(id);
  f.value = value;
  if (explaining()) f.note = std::move(note);
  r_.facts.push_back(std::move(f));
}

}  // namespace vram

namespace vram {

std::optional<Error> ReportBuilder::finish() {
  if (error_) return error_;
  finalize(r_);
  if (r_.total_bytes < kQuantityLimit && r_.cpu_bytes < kQuantityLimit) return std::nullopt;
  const LineItem* largest = nullptr;
  for (const auto& i : r_.items)
    if (!largest || i.bytes > largest->bytes) largest = &i;
  Q blamed = largest ? largest->formula : Q::of(kQuantityLimit);
  const Field& f = blamed.blame();
  const std::string field = f.empty() ? std::string("config.json") : std::string(f.name);
  return make_error(ErrorCode::Overflow, field,
                    {Msg::error_estimate_overflow, {f.empty() ? Arg("field", ConfigKey{field}) : f.arg("field")}});
}

}  // namespace vram
