// One look per line-item id, the same on the page's bar, its legend, the explanations, the widget
// and the exports' order: a colour family (what kind of memory) and a pattern (which item of the
// family). The family colours, per light and dark theme, live in components/stacked-bar/
// item-colors.css; test/item-colors.test.mjs checks their contrast and that they stay apart for
// protanopia, deuteranopia and tritanopia, and that no two ids look alike.
//   w weights · m master / adapter weights · kv KV cache · act activations · lg logits
//   g gradients · o optimizer · r runtime and buffers
export const ITEM_LOOK = {
  weights: ['w', 0],
  quant_metadata: ['w', 1],
  weights_host: ['w', 2],
  kbit_fp32_upcast: ['w', 3],
  autocast_weight_copies: ['w', 4],
  master_weights: ['m', 0],
  lora_weights: ['m', 1],
  zero3_gather_buffer: ['m', 2],
  kv_cache: ['kv', 0],
  kv_cache_host: ['kv', 2],
  activations: ['act', 0],
  recompute_activations: ['act', 1],
  compute_buffer: ['act', 3],
  logits: ['lg', 0],
  logits_upcast: ['lg', 1],
  logits_grad: ['lg', 3],
  gradients: ['g', 0],
  lora_gradients: ['g', 1],
  zero3_grad_buffer: ['g', 2],
  fp32_gradients: ['g', 3],
  optimizer_states: ['o', 0],
  lora_optimizer_states: ['o', 1],
  cpu_pinned_buffers: ['o', 2],
  optimizer_step_temporaries: ['o', 3],
  runtime_overhead: ['r', 0],
  cuda_graphs: ['r', 1],
  dequant_temporaries: ['r', 2],
  buffers: ['r', 3],
};

/** The classes that draw an item's look (an id the page does not know yet: grey, cross-hatched). */
export function itemClass(id) {
  const [family, pattern] = ITEM_LOOK[id] ?? ['r', 4];
  return `ic-${family} ip${pattern}`;
}
