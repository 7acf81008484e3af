// estimate_training: composes weights, precision, optimizer, activations, LoRA and parallelism into
// an itemised report. Formulas live in optimizer/activations/lora/parallel/weights; this file only
// selects and places them.
#include <algorithm>
#include <string>
#include <vector>

#include "vram/memory/activations.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/base/explain.hpp"
#include "vram/memory/lora.hpp"
#include "vram/memory/optimizer.hpp"
#include "vram/memory/parallel.hpp"
#include "vram/memory/weights.hpp"

namespace vram {
namespace {

// CUDA context + kernels as measured by transformers docs (model_memory_anatomy.md: torch.ones((1,1))
// .to("cuda") → 1343 MB in nvidia-smi on a V100). Not seen by torch.cuda.max_memory_*.
constexpr std::uint64_t kCudaContextBytes = 1343ull << 20;

PhaseSet all_phases() { return {Phase::Load, Phase::Forward, Phase::Backward, Phase::OptimizerStep}; }
PhaseSet training_phases() { return {Phase::Forward, Phase::Backward, Phase::OptimizerStep}; }

bool is_dense(WeightKind k) { return k == WeightKind::F32 || k == WeightKind::F16 || k == WeightKind::BF16; }

WeightFormat dense_format(DType t) {
  WeightFormat f;
  switch (t) {
    case DType::F32: f.kind = WeightKind::F32; f.bits = 32; f.id = "fp32"; break;
    case DType::F16: f.kind = WeightKind::F16; f.id = "fp16"; break;
    default: f.kind = WeightKind::BF16; f.id = "bf16"; break;
  }
  return f;
}

struct Builder {
  Report& r;
  LineItem& add(std::string id, std::uint64_t bytes, std::string explain, std::string source, PhaseSet phases,
                bool approximate = false, bool cpu = false) {
    LineItem i;
    i.label_key = "item." + id;
    i.id = std::move(id);
    i.bytes = bytes;
    i.explain = std::move(explain);
    i.source = std::move(source);
    i.phases = phases;
    i.approximate = approximate;
    i.cpu = cpu;
    r.items.push_back(std::move(i));
    return r.items.back();
  }
  void fact(std::string id, double v, std::string explain) { r.facts.push_back({std::move(id), v, std::move(explain)}); }
};

// An upper bound, in floating point, of the saved activations over all layers before any integer
// product is formed: per token and layer, every term activations.cpp saves at ≤ 4 B per element
// (norm inputs ≤ 4 norms × 8 B, q/k/v/out and their inputs, MLP or top-k experts with 4 tensors of
// the intermediate width, router probabilities, eager b·heads·s² scores at ≤ 13 B). Without it,
// 405B × seq 1M × batch 4096 with eager attention wrapped the activations item around 2^64.
double saved_bytes_bound(const ModelSpec& s, const TrainOptions& o) {
  const double h = static_cast<double>(s.hidden_size);
  const double qd = static_cast<double>(
      s.mla ? s.num_heads * (s.mla->qk_nope_head_dim + s.mla->qk_rope_head_dim + s.mla->v_head_dim) : s.q_dim());
  const double kd = static_cast<double>(s.kv_dim()), seq = static_cast<double>(o.seq);
  double mlp = static_cast<double>(s.intermediate_size);
  double moe = 0;
  if (s.moe) {
    const double k = static_cast<double>(s.moe->experts_per_token);
    mlp = std::max(mlp, k * static_cast<double>(s.moe->expert_intermediate) + static_cast<double>(s.moe->shared_intermediate));
    moe = 4 * static_cast<double>(s.moe->routed_experts) + 8 * k * h;
  }
  const double eager = o.attn == AttentionImpl::Eager ? 13 * static_cast<double>(s.num_heads) * seq : 0;
  const double per_token_layer = 40 * h + 4 * (4 * qd + 2 * kd) + 16 * mlp + moe + eager;
  const double layers = static_cast<double>(s.layers.size() + (s.encoder_decoder ? s.encoder_decoder->encoder_layers : 0) + 1);
  return static_cast<double>(o.micro_batch) * seq * layers * per_token_layer;
}

Result<int> validate(const Model& model, const TrainOptions& o) {
  auto bad = [](const char* flag, const std::string& m) { return make_error(ErrorCode::InvalidValue, flag, std::string(flag) + " " + m); };
  if (o.micro_batch < 1) return bad("--batch", "must be ≥ 1, got 0");
  if (o.seq < 1) return bad("--seq", "must be ≥ 1, got 0");
  if (o.grad_accum < 1) return bad("--grad-accum", "must be ≥ 1, got 0");
  if (o.state_bytes_override != -1 && !(o.state_bytes_override > 0))
    return bad("--state-bytes", "must be > 0 bytes per optimizer state element (or -1 for the optimizer's own)");
  // Overflow guard on the largest product formed: b · s · vocab · 12 B (logits + grad).
  const std::uint64_t lim = ~std::uint64_t{0} / 16;
  const std::uint64_t v = std::max<std::uint64_t>(model.spec.vocab_size, model.spec.intermediate_size * 8);
  if (o.micro_batch > lim / o.seq || o.micro_batch * o.seq > lim / std::max<std::uint64_t>(v, 1) ||
      o.micro_batch * o.seq * model.spec.num_heads > lim / o.seq || saved_bytes_bound(model.spec, o) > 1e18)
    return make_error(ErrorCode::Overflow, "--seq", "--batch × --seq is too large to size in 64-bit bytes");
  const bool lora = o.method != TrainMethod::Full;
  if (lora && o.lora_rank < 1) return bad("--lora-rank", std::string("must be ≥ 1 for --method ") + std::string(to_id(o.method)) + ", got 0");
  if (lora && o.lora_targets.empty()) return bad("--lora-targets", std::string("is required for --method ") + std::string(to_id(o.method)));
  if (o.method == TrainMethod::Full) {
    const bool quant_base = !(o.base_weights.kind == WeightKind::Auto || is_dense(o.base_weights.kind));
    // A quantised *checkpoint* is dequantised into the training dtype on load; only an explicitly
    // requested quantised base is an error, since quantised weights cannot be updated.
    if (quant_base)
      return bad("--method", "full cannot update a quantised base (" + o.base_weights.id +
                                 "): use --method qlora/lora, or a dense dtype");
  }
  if (o.method == TrainMethod::Lora && !(o.base_weights.kind == WeightKind::Auto || is_dense(o.base_weights.kind)) &&
      o.base_weights.kind != WeightKind::BnbNf4 && o.base_weights.kind != WeightKind::BnbFp4 && o.base_weights.kind != WeightKind::BnbInt8 &&
      o.base_weights.kind != WeightKind::Gptq && o.base_weights.kind != WeightKind::Awq)
    return bad("--dtype", "LoRA base format " + o.base_weights.id + " is not trainable through PEFT");
  return 0;
}

}  // namespace

Result<Report> estimate_training(const Model& model, const TrainOptions& o) {
  if (auto v = validate(model, o); !v) return v.error();
  auto plan_r = shard_plan(model, o);
  if (!plan_r) return plan_r.error();
  const ShardPlan& sp = plan_r.value();
  const ModelSpec& s = model.spec;
  const Inventory& inv = model.inventory;
  const PrecisionPlan prec = precision_plan(o.precision);
  const bool lora = o.method != TrainMethod::Full;
  Report report;
  report.gpus = o.gpus;
  Builder b{report};

  // ---- Base weights ---------------------------------------------------------------------------
  WeightFormat wfmt = dense_format(prec.weights);
  if (o.method == TrainMethod::Qlora) {
    auto q = parse_weight_format("nf4-dq");
    if (!q) return q.error();
    wfmt = q.value();
  } else if (lora) {
    // Frozen base: the requested format, or the compute dtype (fp32 when training in fp32).
    wfmt = o.base_weights.kind != WeightKind::Auto ? o.base_weights : dense_format(prec.compute);
  }
  if (o.method == TrainMethod::Full && s.quant.method != QuantMethod::None)
    report.warnings.push_back("the checkpoint is stored quantised (" + s.quant.method_name +
                              "); full training loads it dequantised into " + std::string(dtype_name(prec.weights)));
  auto weights_r = weights_of(model, wfmt);
  if (!weights_r) return weights_r.error();
  const std::shared_ptr<const Weights> weights = weights_r.value();
  const WeightBytes& wb = weights->bytes;
  const WeightLayout& wl = weights->layout;
  const std::uint64_t lps = layers_per_stage(s.num_layers, sp.pp);
  const std::uint64_t full_bytes = wb.weights + wb.quant_metadata;
  const std::uint64_t stage_bytes = first_stage_bytes(wl.layer_bytes, wl.input_bytes, wl.output_bytes, sp.pp);
  // Weights on this GPU: the first pipeline stage's share of payload, split by TP and by ZeRO-3/FSDP.
  // pp = 1 uses the exact totals; a pipeline stage takes its share of the layout.
  const double stage_fraction = sp.pp > 1 ? static_cast<double>(stage_bytes) / static_cast<double>(std::max<std::uint64_t>(full_bytes, 1)) : 1.0;
  const auto stage_weights = static_cast<std::uint64_t>(static_cast<double>(wb.weights) * stage_fraction);
  const auto stage_meta = static_cast<std::uint64_t>(static_cast<double>(wb.quant_metadata) * stage_fraction);
  const std::uint64_t gpu_weights = shard_bytes(shard_bytes(stage_weights, sp.tp), sp.param_shards);
  {
    Explain x;
    x.text(wb.explain_weights);
    if (sp.pp > 1) x.text(" (first of " + std::to_string(sp.pp) + " pipeline stages)");
    if (sp.tp > 1) x.text(" / " + std::to_string(sp.tp) + " TP");
    if (sp.param_shards > 1) x.text(" / " + std::to_string(sp.param_shards) + " shards");
    x.equals_bytes(gpu_weights);
    b.add("weights", gpu_weights, x.str(), wb.source + (lora ? " (frozen base)" : ""), all_phases(), wb.approximate || sp.pp > 1,
          sp.params_offloaded && !sp.nvme);
  }
  if (stage_meta > 0) {
    const std::uint64_t m = shard_bytes(shard_bytes(stage_meta, sp.tp), sp.param_shards);
    b.add("quant_metadata", m, wb.explain_metadata, wb.source, all_phases(), wb.approximate, sp.params_offloaded && !sp.nvme);
  }
  // QLoRA recipe: peft.prepare_model_for_kbit_training casts every parameter that is not
  // quantised (embeddings, lm_head, norms) to fp32 (peft/utils/other.py), so those parts are
  // held in fp32 rather than in the checkpoint dtype.
  if (o.method == TrainMethod::Qlora && wb.dense_params > 0 && dtype_bytes(wb.dense_dtype) < 4) {
    const std::uint64_t extra = shard_bytes(shard_bytes(static_cast<std::uint64_t>(static_cast<double>(wb.dense_params) * stage_fraction), sp.tp),
                                            sp.param_shards) *
                                (4 - dtype_bytes(wb.dense_dtype));
    b.add("kbit_fp32_upcast", extra,
          Explain()
              .times(wb.dense_params, "non-quantised params (embeddings, lm_head, norms)")
              .text(" × (4 − " + std::to_string(dtype_bytes(wb.dense_dtype)) + ") B")
              .equals_bytes(extra)
              .str(),
          "peft prepare_model_for_kbit_training: non-quantised parameters cast to fp32", all_phases(), false);
  }
  if (sp.params_offloaded) report.warnings.push_back("parameters offloaded to " + std::string(sp.nvme ? "NVMe" : "CPU RAM") + "; layers are gathered onto the GPU as they run");

  // ---- Trainable tensors ----------------------------------------------------------------------
  std::vector<TensorShape> tensors;
  std::uint64_t trainable = 0;
  LoraParams lp;
  if (lora) {
    auto lr = lora_params(model, o.lora_rank, o.lora_targets, o.dora);
    if (!lr) return lr.error();
    lp = std::move(lr).value();
    for (const auto& m : lp.modules) {
      tensors.push_back({o.lora_rank, m.d_in, m.instances});
      tensors.push_back({m.d_out, o.lora_rank, m.instances});
      if (o.dora) tensors.push_back({m.d_out, 1, m.instances});
    }
    trainable = lp.trainable();
  } else {
    for (const auto& g : inv.groups) {
      if (g.is_buffer() || !g.in_full) continue;
      const bool per_expert = g.name.find("{e}") != std::string::npos;
      tensors.push_back({g.rows * (per_expert ? 1 : g.experts), g.cols, inv.block_count(g.block) * (per_expert ? g.experts : 1)});
    }
    trainable = inv.total_params;
  }
  // This GPU's share of the trainable elements: pipeline stage (layer fraction), TP.
  const std::uint64_t local_trainable = shard_bytes(static_cast<std::uint64_t>(static_cast<double>(trainable) * stage_fraction), sp.tp);
  b.fact("trainable_params", static_cast<double>(trainable), lora ? "LoRA adapters: Σ r × (d_in + d_out) over adapted modules" : "all parameters");
  b.fact("total_params", static_cast<double>(inv.total_params + (lora ? trainable : 0)), "base + adapters");
  b.fact("tokens_per_step", static_cast<double>(o.micro_batch * o.seq * o.grad_accum * sp.dp),
         Explain().times(o.micro_batch, "batch").times(o.seq, "seq").times(o.grad_accum, "accum").times(std::uint64_t{sp.dp}, "DP ranks").str());

  const DType train_dtype = lora ? o.adapter_dtype : prec.weights;
  const DType grad_dtype = lora ? o.adapter_dtype : prec.grads;
  const DType state_dtype = lora ? o.adapter_dtype : (prec.master_fp32 ? DType::F32 : prec.states);
  const std::string pre = lora ? "lora_" : "";
  PhaseSet grad_phases = {Phase::Backward, Phase::OptimizerStep};
  if (o.grad_accum > 1) grad_phases.add(Phase::Forward);  // accumulation buffer persists

  if (lora) {
    const std::uint64_t bytes = local_trainable * dtype_bytes(train_dtype);
    b.add("lora_weights", bytes,
          Explain()
              .times(local_trainable, local_trainable == trainable ? "adapter params" : "adapter params of this GPU's pipeline stage / TP shard")
              .times(dtype_bytes(train_dtype), std::string("B (") + std::string(dtype_name(train_dtype)) + ")").equals_bytes(bytes).str(),
          "PEFT LoraLayer lora_A r×d_in + lora_B d_out×r per adapted module (+ DoRA magnitude d_out); autocast_adapter_dtype keeps them fp32",
          all_phases());
  }
  if (prec.master_fp32 && !lora) {
    const std::uint64_t bytes = shard_bytes(local_trainable * 4, sp.state_shards);
    b.add("master_weights", bytes, Explain().times(local_trainable, "params").times(std::uint64_t{4}, "B fp32 master").equals_bytes(bytes).str(),
          "DeepSpeed/Megatron mixed precision: fp32 master copy of 16-bit params, partitioned with the optimizer", all_phases(), false,
          sp.states_offloaded && !sp.nvme);
  }
  if (prec.autocast && !lora) {
    // torch.autocast caches the 16-bit cast of every leaf weight that requires grad until the autocast
    // context exits; matmuls save those copies for backward (torch/csrc/autograd autocast_mode.cpp cached_cast).
    std::uint64_t linear = 0;
    for (const auto& g : inv.groups)
      if (g.linear && !g.bias && !g.is_buffer() && g.in_full) linear += inv.group_total(g);
    const std::uint64_t bytes = shard_bytes(shard_bytes(static_cast<std::uint64_t>(static_cast<double>(linear) * stage_fraction), sp.tp), sp.param_shards) * dtype_bytes(prec.compute);
    b.add("autocast_weight_copies", bytes, Explain().times(linear, "Linear weights").times(dtype_bytes(prec.compute), "B").equals_bytes(bytes).str(),
          "torch.autocast weight-cast cache (fp32 leaf params → 16-bit), alive through forward and backward", {Phase::Forward, Phase::Backward}, true);
  }
  {
    const std::uint64_t bytes = shard_bytes(local_trainable * dtype_bytes(grad_dtype), sp.grad_shards);
    Explain x;
    x.times(local_trainable, "trainable params").times(dtype_bytes(grad_dtype), std::string("B (") + std::string(dtype_name(grad_dtype)) + ")");
    if (sp.grad_shards > 1) x.text(" / " + std::to_string(sp.grad_shards) + " shards");
    b.add(pre + "gradients", bytes, x.equals_bytes(bytes).str(), "param.grad in the parameter's dtype, trainable parameters only", grad_phases);
  }
  if (sp.deepspeed && prec.master_fp32 && !lora) {
    const std::uint64_t bytes = shard_bytes(local_trainable * 4, sp.state_shards);
    b.add("fp32_gradients", bytes, Explain().times(local_trainable, "params").times(std::uint64_t{4}, "B").text(" / " + std::to_string(sp.state_shards) + " shards").str(),
          "DeepSpeed stage_1_and_2.py: fp32 gradient partition of the master params (\"4_grads_32bit\" in its estimator)",
          {Phase::OptimizerStep}, false, sp.states_offloaded && !sp.nvme);
  }
  const OptimizerStates os = optimizer_states(o.optimizer, tensors, state_dtype, o.state_bytes_override);
  const std::uint64_t local_states = shard_bytes(shard_bytes(static_cast<std::uint64_t>(static_cast<double>(os.bytes) * stage_fraction), sp.tp), sp.state_shards);
  if (os.bytes > 0) {
    Explain x;
    x.text(os.explain);
    if (sp.state_shards > 1) x.text(" / " + std::to_string(sp.state_shards) + " shards");
    b.add(pre + "optimizer_states", local_states, x.equals_bytes(local_states).str(), os.source, training_phases(), false, sp.states_offloaded && !sp.nvme);
  }
  for (const auto& n : os.notes) report.warnings.push_back(n);
  if (os.step_temporary_bytes > 0 && !sp.states_offloaded) {
    const std::uint64_t bytes = shard_bytes(shard_bytes(static_cast<std::uint64_t>(static_cast<double>(os.step_temporary_bytes) * stage_fraction), sp.tp), sp.state_shards);
    b.add("optimizer_step_temporaries", bytes, os.temporary_explain, "transient buffers of optimizer.step() (foreach implementation)",
          {Phase::OptimizerStep}, true);
  }
  if (sp.states_offloaded && sp.deepspeed && !sp.nvme) {
    std::uint64_t cpu = 0;
    for (const auto& i : report.items)
      if (i.cpu) cpu += i.bytes;
    const auto extra = static_cast<std::uint64_t>(static_cast<double>(cpu) * (kDeepSpeedCpuBufferFactor - 1.0));
    b.add("cpu_pinned_buffers", extra, Explain().times(cpu, "B offloaded").times(kDeepSpeedCpuBufferFactor - 1.0, "(additional_buffer_factor 1.5 − 1)").str(),
          "DeepSpeed estimators: additional_buffer_factor 1.5 for pinned CPU buffers", {Phase::OptimizerStep}, true, true);
  }
  if (sp.nvme) report.warnings.push_back("NVMe offload: offloaded tensors live on disk (ZeRO-Infinity), not counted in CPU RAM");

  // ---- Gather buffers (ZeRO-3 / FSDP full_shard) ------------------------------------------------
  if (sp.param_shards > 1 || sp.params_offloaded) {
    const std::uint64_t ll = shard_bytes(wl.largest_layer_bytes, sp.tp);
    b.add("zero3_gather_buffer", 2 * ll, Explain().times(std::uint64_t{2}, "layers (current + prefetched)").times(ll, "B largest layer").str(),
          "ZeRO-3 / FSDP full_shard all-gather of one layer with prefetch of the next", {Phase::Forward, Phase::Backward}, true);
    if (!lora)
      b.add("zero3_grad_buffer", ll, Explain().times(ll, "B: unsharded gradients of one layer before reduce-scatter").str(),
            "ZeRO-3 / FSDP reduce-scatter of the layer's full gradient", {Phase::Backward}, true);
  }

  // ---- Activations -----------------------------------------------------------------------------
  ActivationOptions ao;
  ao.micro_batch = o.micro_batch;
  ao.seq = o.seq;
  ao.attn = o.attn;
  ao.checkpointing = o.checkpointing;
  ao.dropout = o.dropout;
  ao.compute = o.method == TrainMethod::Qlora ? wb.compute_dtype : prec.compute;
  ao.stream = prec.stream;
  if (lora) ao.stream = ao.compute == DType::F32 ? DType::F32 : (prec.autocast ? DType::F32 : ao.compute);
  ao.tp = sp.tp;
  ao.layers_held = lps;
  ao.in_flight = pipeline_in_flight(sp.pp, o.grad_accum);
  if (lora) {
    // Frozen Linears do not save their inputs; adapted ones do (lora_A). Norm weights are frozen.
    ao.norms_trainable = false;
    ao.lm_head_trainable = false;
    ao.save_qkv_in = ao.save_o_in = ao.save_mlp_in = ao.save_down_in = false;
    ao.lora_rank = o.lora_rank;
    ao.adapter_dtype = o.adapter_dtype;
    ao.adapter_input_cast = o.adapter_dtype != ao.compute && !prec.autocast;
    ao.dora = o.dora;
    for (const auto& m : lp.modules) {
      AdapterSite site;
      site.d_in = m.d_in;
      site.d_out = m.d_out;
      const bool expert = m.role == Role::ExpertProjection;
      site.layers = expert ? m.instances / std::max<std::uint64_t>(s.moe ? s.moe->routed_experts : 1, 1) : m.instances;
      site.per_token = expert && s.moe ? s.moe->experts_per_token : 1;
      site.moe = expert;
      ao.adapters.push_back(site);
      const bool out_proj = m.role == Role::AttentionProjection && m.d_out == s.hidden_size && m.d_in != s.hidden_size;
      if (m.role == Role::AttentionProjection) (out_proj || m.module == "o_proj" || m.module == "dense" || m.module == "out_proj" ? ao.save_o_in : ao.save_qkv_in) = true;
      if (m.role == Role::MlpProjection || m.role == Role::ExpertProjection || m.role == Role::SharedExpertProjection)
        (m.d_in != s.hidden_size ? ao.save_down_in : ao.save_mlp_in) = true;
    }
  }
  const ActivationEstimate act = training_activations(model, ao);
  b.add("activations", act.saved_bytes, act.explain, act.source, {Phase::Forward, Phase::Backward}, true);
  for (const auto& n : act.notes) report.warnings.push_back(n);
  if (act.recompute_bytes > 0)
    b.add("recompute_activations", act.recompute_bytes, act.recompute_explain, "torch.utils.checkpoint: one layer's forward re-run during backward",
          {Phase::Backward}, true);
  if (lora && o.method == TrainMethod::Qlora) {
    const std::uint64_t n = largest_layer_linear(inv);
    const std::uint64_t bytes = n * dtype_bytes(wb.compute_dtype);
    b.add("dequant_temporaries", bytes, Explain().times(n, "elements of the largest Linear").times(dtype_bytes(wb.compute_dtype), "B").str(),
          "bitsandbytes MatMul4Bit dequantises one Linear's weight per matmul (forward and backward)", {Phase::Forward, Phase::Backward}, true);
  }
  if (sp.pp > 1) report.warnings.push_back("pipeline parallel: figures are for the first stage (embeddings, " + std::to_string(lps) +
                                           " layers, activations of " + std::to_string(ao.in_flight) + " micro-batches in flight under 1F1B); logits live on the last stage");
  if (sp.pp == 1 && s.vocab_size > 0 && s.head != "seq_cls" && s.head != "base") {
    const LogitsBytes lg = logits_bytes(o.micro_batch, o.seq, s.vocab_size, ao.compute, sp.tp);
    const std::string src = "transformers 4.57 ForCausalLMLoss: logits.float() then cross_entropy (log_softmax saves fp32 output)";
    b.add("logits", lg.logits, lg.explain, src, {Phase::Forward, Phase::Backward});
    if (lg.upcast) b.add("logits_upcast", lg.upcast, lg.upcast_explain, src, {Phase::Forward});
    b.add("logits_grad", lg.grad, lg.grad_explain, src, {Phase::Backward});
  }

  // ---- Runtime ---------------------------------------------------------------------------------
  {
    const bool given = o.overhead_bytes >= 0;
    const std::uint64_t bytes = given ? static_cast<std::uint64_t>(o.overhead_bytes) : kCudaContextBytes;
    b.add("runtime_overhead", bytes, given ? Explain().times(bytes, "B (given)").str() : Explain().text("CUDA context + kernels").equals_bytes(bytes).str(),
          "transformers docs model_memory_anatomy.md: CUDA context 1343 MB (nvidia-smi); not counted by torch.cuda.max_memory_*",
          all_phases(), !given);
  }

  // ---- DeepSpeed compatibility view --------------------------------------------------------------
  if (sp.deepspeed && (o.zero == 2 || o.zero == 3)) {
    const std::uint64_t P = inv.total_params;
    if (o.zero == 2) {
      const auto e = deepspeed_zero2_estimate(P, o.gpus, 1, sp.states_offloaded);
      b.fact("deepspeed_zero2_gpu_bytes", static_cast<double>(e.gpu_bytes), e.explain);
      b.fact("deepspeed_zero2_cpu_bytes", static_cast<double>(e.cpu_bytes), e.explain);
    } else {
      const auto e = deepspeed_zero3_estimate(P, largest_module_params(inv), o.gpus, 1, sp.states_offloaded, sp.params_offloaded, true);
      b.fact("deepspeed_zero3_gpu_bytes", static_cast<double>(e.gpu_bytes), e.explain);
      b.fact("deepspeed_zero3_cpu_bytes", static_cast<double>(e.cpu_bytes), e.explain);
    }
  }

  report.approximate_reasons.push_back("activations follow the saved-tensor model of transformers' eager autograd graph; allocator caching and fragmentation are not modelled");
  report.approximate_reasons.push_back("backward is sized with all gradients and all activations resident together (an upper bound: activations are freed as gradients appear)");
  if (sp.gpus > 1) report.approximate_reasons.push_back("communication buckets (DDP/ZeRO reduce buckets) are not modelled");
  finalize(report);
  return report;
}

}  // namespace vram
