// Measured vs estimated: replays every measured case (tests/data/measured/*.json, written by
// tools/measure/measure.py or hand-entered from public sources) through the engine with the same
// knobs and reports the error per case and per category.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

struct AccuracyRow {
  std::string id;
  std::string file;       // data file the case came from
  std::string model;
  std::string category;   // inference, train, lora
  std::string metric;     // peak_allocated, peak_reserved, nvml_total
  std::uint64_t measured = 0;
  std::uint64_t estimated = 0;
  double error_pct = 0;   // (estimated − measured) / measured × 100
  std::string knobs;      // "bf16 b4 s768 adamw …"
  std::string source;
};

struct AccuracySummary {
  std::string category;
  std::size_t cases = 0;
  double median_abs_pct = 0;
  double max_abs_pct = 0;
  double mean_pct = 0;    // signed: > 0 the engine overestimates
};

struct AccuracyTable {
  std::vector<AccuracyRow> rows;
  std::vector<AccuracySummary> summaries;   // per category, then "all"
  std::vector<std::string> skipped;         // "<id>: <reason>"
};

using ReadFile = std::function<Result<std::string>(std::string_view path)>;

// `files`: (name, JSON text) of each measured-data file. `read` loads a case's config_file
// (relative to the repository root).
[[nodiscard]] Result<AccuracyTable> compare_measurements(const std::vector<std::pair<std::string, std::string>>& files,
                                                         const ReadFile& read);

// The table as Markdown (what docs/accuracy.md and the README show).
[[nodiscard]] std::string accuracy_markdown(const AccuracyTable& table);

}  // namespace vram
