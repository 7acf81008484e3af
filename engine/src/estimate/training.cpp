// estimate_training: composes weights, precision, optimizer, activations, LoRA and parallelism into
// an itemised report. Formulas live in optimizer/activations/lora/parallel/weights; this file only
// selects and places them.
#include <algorithm>
#include <string>
#include <vector>

#include "vram/estimate/estimate.hpp"
#include "vram/memory/activations.hpp"
#include "vram/memory/lora.hpp"
#include "vram/memory/optimizer.hpp"
#include "vram/memory/parallel.hpp"
#include "vram/memory/runtime.hpp"
#include "vram/memory/weights.hpp"
#include "vram/workload/option_table.hpp"

namespace vram {
namespace {

PhaseSet all_phases() { return {Phase::Load, Phase::Forward, Phase::Backward, Phase::OptimizerStep}; }
PhaseSet training_phases() { return {Phase::Forward, Phase::Backward, Phase::OptimizerStep}; }

WeightFormat dense_format(DType t) {
  WeightFormat f;
  switch (t) {
    case DType::F32: f.kind = WeightKind::F32; f.bits = 32; f.id = "fp32"; break;
    case DType::F16: f.kind = WeightKind::F16; f.id = "fp16"; break;
    default: f.kind = WeightKind::BF16; f.id = "bf16"; break;
  }
  return f;
}

Q bytes_of(DType t) { return Q::of(dtype_bytes(t), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(t)}}}); }

// A share of one rank: ÷ n when sharded n ways (rounded up, as a flat partition), else itself.
Q shard(const Q& x, std::uint32_t n, Msg label, std::string_view field) {
  return n <= 1 ? x : ceil_div(x, Q::input(n, label, option_field(field)));
}

}  // namespace

Result<Report> estimate_training(const Model& model, const TrainOptions& o) {
  if (auto err = check_options(o, &model.spec)) return *err;
  auto plan_r = shard_plan(model, o);
  if (!plan_r) return plan_r.error();
  const ShardPlan& sp = plan_r.value();
  const ModelDescription& s = model.spec;
  const Inventory& inv = model.inventory;
  const PrecisionPlan prec = precision_plan(o.precision);
  const bool lora = o.method != TrainMethod::Full;
  Report report;
  ReportBuilder b(report);
  report.gpus = o.gpus;

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
    b.warn({Msg::warn_train_dequantised_checkpoint, {{"method", s.quant.method_name}, {"dtype", dtype_name(prec.weights)}}});
  auto weights_r = weights_of(model, wfmt);
  if (!weights_r) return weights_r.error();
  const std::shared_ptr<const Weights> weights = weights_r.value();
  const WeightBytes& wb = weights->bytes;
  const WeightLayout& wl = weights->layout;
  const std::uint64_t layers_in_stage = layers_per_stage(s.num_layers, sp.pp);
  const std::uint64_t full_bytes = wb.weights + wb.quant_metadata;
  const std::uint64_t stage_bytes = first_stage_bytes(wl.layer_bytes, wl.input_bytes, wl.output_bytes, sp.pp);
  // This GPU's part: the first pipeline stage's share of the layout (pp = 1: all of it), split by
  // TP and by ZeRO-3/FSDP.
  const double stage_fraction = sp.pp > 1 ? static_cast<double>(stage_bytes) / static_cast<double>(std::max<std::uint64_t>(full_bytes, 1)) : 1.0;
  const auto stage = [&](const Q& x) { return sp.pp > 1 ? scale(x, stage_fraction, Msg::term_first_stage_share) : x; };
  const auto local = [&](const Q& x, std::uint32_t shards) {
    return shard(shard(stage(x), sp.tp, Msg::term_tp_ranks, "tp"), shards, Msg::term_shards, "gpus");
  };
  const bool weights_on_cpu = sp.params_offloaded && !sp.nvme;
  const bool states_on_cpu = sp.states_offloaded && !sp.nvme;
  b.add("weights", local(wb.weights_formula, sp.param_shards), lora ? Msg::source_frozen_base : wb.source, all_phases(),
        wb.approximate || sp.pp > 1, weights_on_cpu);
  if (wb.quant_metadata > 0) b.add("quant_metadata", local(wb.metadata_formula, sp.param_shards), wb.source, all_phases(), wb.approximate, weights_on_cpu);
  // QLoRA recipe: peft.prepare_model_for_kbit_training casts every parameter that is not
  // quantised (embeddings, lm_head, norms) to fp32 (peft/utils/other.py), so those parts are
  // held in fp32 rather than in the checkpoint dtype.
  if (o.method == TrainMethod::Qlora && wb.dense_params > 0 && dtype_bytes(wb.dense_dtype) < 4)
    b.add("kbit_fp32_upcast",
          local(Q::of(wb.dense_params, Msg::term_non_quantised_params), sp.param_shards) *
              Q::of(4 - dtype_bytes(wb.dense_dtype), Message{Msg::term_bytes_upcast, {{"dtype", dtype_name(wb.dense_dtype)}}}),
          Msg::source_kbit_upcast, all_phases());
  if (sp.params_offloaded) b.warn(sp.nvme ? Msg::warn_params_offloaded_nvme : Msg::warn_params_offloaded_cpu);

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
  const Q trainable_q = Q::of(trainable, lora ? Msg::term_adapter_params : Msg::term_trainable_params);
  const Q local_trainable = shard(stage(trainable_q), sp.tp, Msg::term_tp_ranks, "tp");
  b.fact("trainable_params", trainable_q, lora ? Msg::fact_trainable_lora : Msg::fact_trainable_all);
  b.fact("total_params", static_cast<double>(inv.total_params + (lora ? trainable : 0)), Msg::fact_total_params);
  b.fact("tokens_per_step",
         Q::input(o.micro_batch, Msg::term_batch, option_field("batch")) * Q::input(o.seq, Msg::term_seq_len, option_field("seq")) *
             Q::input(o.grad_accum, Msg::term_accumulation, option_field("grad_accum")) * Q::of(sp.dp, Msg::term_dp_ranks),
         Msg::fact_tokens_per_step);

  const DType train_dtype = lora ? o.adapter_dtype : prec.weights;
  const DType grad_dtype = lora ? o.adapter_dtype : prec.grads;
  const DType state_dtype = lora ? o.adapter_dtype : (prec.master_fp32 ? DType::F32 : prec.states);
  const std::string pre = lora ? "lora_" : "";
  PhaseSet grad_phases = {Phase::Backward, Phase::OptimizerStep};
  if (o.grad_accum > 1) grad_phases.add(Phase::Forward);  // accumulation buffer persists

  if (lora) b.add("lora_weights", local_trainable * bytes_of(train_dtype), Msg::source_lora_weights, all_phases());
  if (prec.master_fp32 && !lora)
    b.add("master_weights", shard(local_trainable * bytes_of(DType::F32), sp.state_shards, Msg::term_shards, "gpus"),
          Msg::source_master_weights, all_phases(), false, states_on_cpu);
  if (prec.autocast && !lora) {
    // torch.autocast caches the 16-bit cast of every leaf weight that requires grad until the autocast
    // context exits; matmuls save those copies for backward (torch/csrc/autograd autocast_mode.cpp cached_cast).
    std::uint64_t linear = 0;
    for (const auto& g : inv.groups)
      if (g.linear && !g.bias && !g.is_buffer() && g.in_full) linear += inv.group_total(g);
    b.add("autocast_weight_copies", local(Q::of(linear, Msg::term_linear_weights), sp.param_shards) * bytes_of(prec.compute),
          Msg::source_autocast_cache, {Phase::Forward, Phase::Backward}, true);
  }
  b.add(pre + "gradients", shard(local_trainable * bytes_of(grad_dtype), sp.grad_shards, Msg::term_shards, "gpus"), Msg::source_gradients,
        grad_phases);
  if (sp.deepspeed && prec.master_fp32 && !lora)
    b.add("fp32_gradients", shard(local_trainable * bytes_of(DType::F32), sp.state_shards, Msg::term_shards, "gpus"),
          Msg::source_deepspeed_fp32_grads, {Phase::OptimizerStep}, false, states_on_cpu);
  const OptimizerStates os = optimizer_states(o.optimizer, tensors, state_dtype, o.state_bytes_override);
  if (os.bytes.value() > 0)
    b.add(pre + "optimizer_states", local(os.bytes, sp.state_shards), os.source, training_phases(), false, states_on_cpu);
  for (const auto& n : os.notes) b.warn(n);
  if (os.step_temporary.value() > 0 && !sp.states_offloaded)
    b.add("optimizer_step_temporaries", local(os.step_temporary, sp.state_shards), os.temporary_source, {Phase::OptimizerStep}, true);
  if (sp.states_offloaded && sp.deepspeed && !sp.nvme) {
    std::uint64_t cpu = 0;
    for (const auto& i : report.items)
      if (i.cpu) cpu += i.bytes;
    b.add("cpu_pinned_buffers",
          scale(Q::bytes(cpu, Msg::term_offloaded_bytes), kDeepSpeedCpuBufferFactor - 1.0, Msg::term_additional_buffer_factor),
          Msg::source_deepspeed_pinned, {Phase::OptimizerStep}, true, true);
  }
  if (sp.nvme) b.warn(Msg::warn_nvme_offload);

  // ---- Gather buffers (ZeRO-3 / FSDP full_shard) ------------------------------------------------
  if (sp.param_shards > 1 || sp.params_offloaded) {
    const Q layer = shard(Q::bytes(wl.largest_layer_bytes, Msg::term_largest_layer), sp.tp, Msg::term_tp_ranks, "tp");
    b.add("zero3_gather_buffer", Q::of(2, Msg::term_gathered_layers) * layer, Msg::source_zero3_gather, {Phase::Forward, Phase::Backward}, true);
    if (!lora) b.add("zero3_grad_buffer", layer, Msg::source_zero3_grad_buffer, {Phase::Backward}, true);
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
  ao.sequence_parallel = o.sequence_parallel;
  ao.layers_held = layers_in_stage;
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
  b.add("activations", act.saved, act.source, {Phase::Forward, Phase::Backward}, true);
  for (const auto& n : act.notes) b.warn(n);
  if (act.recompute.value() > 0) b.add("recompute_activations", act.recompute, Msg::source_recompute, {Phase::Backward}, true);
  if (lora && o.method == TrainMethod::Qlora)
    b.add("dequant_temporaries", Q::of(largest_layer_linear(inv), Msg::term_largest_linear) * bytes_of(wb.compute_dtype),
          Msg::source_bnb_dequant_train, {Phase::Forward, Phase::Backward}, true);
  if (sp.pp > 1)
    b.warn({Msg::warn_pipeline_first_stage, {{"layers", std::to_string(layers_in_stage)}, {"in_flight", std::to_string(ao.in_flight)}}});
  if (sp.pp == 1 && s.vocab_size > 0 && s.head != HeadKind::SeqCls && s.head != HeadKind::Base) {
    const LogitsBytes lg = logits_bytes(o.micro_batch, o.seq, s.vocab_size, ao.compute, sp.tp);
    b.add("logits", lg.logits, Msg::source_causal_lm_loss, {Phase::Forward, Phase::Backward});
    if (lg.upcast.value()) b.add("logits_upcast", lg.upcast, Msg::source_causal_lm_loss, {Phase::Forward});
    b.add("logits_grad", lg.grad, Msg::source_causal_lm_loss, {Phase::Backward});
  }

  // ---- Runtime ---------------------------------------------------------------------------------
  {
    const bool given = o.overhead_bytes >= 0;
    b.add("runtime_overhead",
          given ? given_overhead(static_cast<std::uint64_t>(o.overhead_bytes))
                : Q::bytes(kTransformersOverheadBytes, Msg::term_cuda_context),
          Msg::source_training_overhead, all_phases(), !given);
  }

  // ---- DeepSpeed compatibility view --------------------------------------------------------------
  if (sp.deepspeed && (o.zero == 2 || o.zero == 3)) {
    const std::uint64_t P = inv.total_params;
    if (o.zero == 2) {
      const auto e = deepspeed_zero2_estimate(P, o.gpus, 1, sp.states_offloaded);
      b.fact("deepspeed_zero2_gpu_bytes", e.gpu, Msg::fact_deepspeed_gpu, true);
      b.fact("deepspeed_zero2_cpu_bytes", e.cpu, Msg::fact_deepspeed_cpu, true);
    } else {
      const auto e = deepspeed_zero3_estimate(P, largest_module_params(inv), o.gpus, 1, sp.states_offloaded, sp.params_offloaded, true);
      b.fact("deepspeed_zero3_gpu_bytes", e.gpu, Msg::fact_deepspeed_gpu, true);
      b.fact("deepspeed_zero3_cpu_bytes", e.cpu, Msg::fact_deepspeed_cpu, true);
    }
  }

  if (explaining()) {
    report.approximate_reasons.push_back(Msg::approx_training_saved_tensors);
    report.approximate_reasons.push_back(Msg::approx_training_backward_bound);
    if (sp.gpus > 1) report.approximate_reasons.push_back(Msg::approx_training_buckets);
  }
  if (auto e = b.finish()) return *e;
  return report;
}

}  // namespace vram
