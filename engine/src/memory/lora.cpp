// LoRA / DoRA adapter counts on the inventory's real module shapes.
#include "vram/memory/lora.hpp"

#include "vram/model/architecture.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace vram {
namespace {

std::string detail_brief(const std::string& s) { return s.size() > 64 ? s.substr(0, 61) + "..." : s; }

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t comma = s.find(',', start);
    std::string_view part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// A Linear module weight (not a bias, not a stacked nn.Parameter such as gpt-oss experts.gate_up_proj).
bool linear_module(const ParamGroup& g) {
  if (!g.linear || g.bias || g.is_buffer() || !g.in_full) return false;
  const std::string_view n = g.name;
  return n.size() > 7 && n.substr(n.size() - 7) == ".weight";
}

std::string module_path(const ParamGroup& g) { return g.name.substr(0, g.name.size() - 7); }

}  // namespace

std::vector<std::string> peft_default_targets(const ModelDescription& spec) {
  return split_list(spec.arch ? spec.arch->lora_targets : std::string_view("q_proj,v_proj"));
}

bool lora_targets_group(const ParamGroup& g, const std::vector<std::string>& targets) {
  if (!linear_module(g)) return false;
  const std::string path = module_path(g);
  for (const auto& t : targets) {
    if (t == "*all-linear*") {
      if (g.role != Role::LmHead) return true;  // PEFT all-linear skips the output layer
      continue;
    }
    if (t == "*attention*") {
      if (g.role == Role::AttentionProjection) return true;
      continue;
    }
    // PEFT check_target_module_exists: key == target or key ends with "." + target.
    if (path == t || (path.size() > t.size() && path.compare(path.size() - t.size(), t.size(), t) == 0 &&
                      path[path.size() - t.size() - 1] == '.'))
      return true;
  }
  return false;
}

Result<LoraParams> lora_params(const Model& model, std::uint64_t rank, std::string_view targets, bool dora) {
  if (rank == 0) return make_error(ErrorCode::InvalidValue, "lora_rank", {Msg::error_option_at_least_one, {{"field", OptionRef{"lora_rank"}}}});
  LoraParams out;
  out.rank = rank;
  std::vector<std::string> match;
  if (targets == "default" || targets == "q_proj,v_proj") {
    out.targets = peft_default_targets(model.spec);
    match = out.targets;
  } else if (targets == "all-linear") {
    out.targets = {"all-linear"};
    match = {"*all-linear*"};
  } else if (targets == "attention") {
    out.targets = {"attention"};
    match = {"*attention*"};
  } else {
    out.targets = split_list(targets);
    match = out.targets;
  }
  if (match.empty())
    return make_error(ErrorCode::InvalidValue, "lora_targets", {Msg::error_lora_targets_empty, {{"field", OptionRef{"lora_targets"}}}});
  const Inventory& inv = model.inventory;
  for (const auto& g : inv.groups) {
    if (!lora_targets_group(g, match)) continue;
    LoraModule m;
    m.module = g.module;
    m.role = g.role;
    m.d_in = g.cols;
    m.d_out = g.rows;
    m.instances = inv.block_count(g.block) * g.experts;
    m.params = m.instances * (lora_module_params(rank, m.d_in, m.d_out) + (dora ? dora_magnitude_params(m.d_out) : 0));
    out.lora_params += m.instances * lora_module_params(rank, m.d_in, m.d_out);
    if (dora) out.dora_params += m.instances * dora_magnitude_params(m.d_out);
    out.instances += m.instances;
    out.largest_tensor = std::max({out.largest_tensor, rank * m.d_in, rank * m.d_out});
    out.modules.push_back(std::move(m));
  }
  if (out.modules.empty()) {
    std::string list;
    for (const auto& t : out.targets) list += (list.empty() ? "" : ",") + t;
    return make_error(ErrorCode::InvalidValue, "lora_targets",
                      {Msg::error_lora_targets_none,
                       {{"field", OptionRef{"lora_targets"}}, {"model_type", detail_brief(model.spec.model_type)}, {"value", detail_brief(list)}}});
  }
  return out;
}

std::uint64_t largest_layer_linear(const Inventory& inv) {
  std::uint64_t best = 0;
  for (const auto& g : inv.groups)
    if (linear_module(g) && g.block >= 0) best = std::max(best, g.rows * g.cols);
  return best;
}

}  // namespace vram
