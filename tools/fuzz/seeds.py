#!/usr/bin/env python3
"""Regenerates the committed seed corpora under tools/fuzz/corpus/ from the repository's own data:
the catalog configs (which are the reference configs of tests/data/reference_params.json), the
safetensors test headers, the web tests' permalinks. Deterministic; run from the repository root."""
import base64, json, os, random, shutil, struct, urllib.parse

root = os.path.join(os.path.dirname(__file__), 'corpus')
rng = random.Random(7)


def target(name):
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write(d, name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def mini(obj):
    return json.dumps(obj, separators=(',', ':'), ensure_ascii=False)


# config: every catalog config, minified, plus hand-made shapes the catalog lacks.
d = target('config')
catalog = 'engine/catalog/models'
configs = {}
for f in sorted(os.listdir(catalog)):
    cfg = json.load(open(os.path.join(catalog, f)))
    configs[f] = cfg
    write(d, f, mini(cfg))
tiny = {"model_type": "llama", "vocab_size": 32, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 2,
        "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 64}
write(d, 'tiny-llama.json', mini(tiny))
for q in [{"quant_method": "gptq", "bits": 4, "group_size": 128}, {"quant_method": "awq", "bits": 4, "zero_point": True},
          {"quant_method": "bitsandbytes", "load_in_4bit": True, "bnb_4bit_quant_type": "nf4",
           "bnb_4bit_use_double_quant": True, "bnb_4bit_compute_dtype": "bfloat16"},
          {"load_in_8bit": True}, {"quant_method": "fp8", "weight_block_size": [128, 128]},
          {"quant_method": "mxfp4", "modules_to_not_convert": ["lm_head"]}, {"quant_method": "compressed-tensors"}]:
    write(d, 'tiny-%s.json' % q.get('quant_method', 'bnb8'), mini(dict(tiny, quantization_config=q, torch_dtype="float16")))
write(d, 'unknown-type.json', mini(dict(tiny, model_type="my_new_arch")))
write(d, 'text-config.json', mini({"model_type": "gemma3", "architectures": ["Gemma3ForConditionalGeneration"],
                                    "text_config": dict(tiny, model_type="gemma3_text")}))

# safetensors: two bytes (layer count, quantisation method/bits) then headers separated by 0xFF.
d = target('safetensors')
hdr = lambda t: mini(t).encode()
llama = {"__metadata__": {"format": "pt"},
         "model.embed_tokens.weight": {"dtype": "BF16", "shape": [32, 8], "data_offsets": [0, 512]},
         "model.layers.0.self_attn.q_proj.weight": {"dtype": "BF16", "shape": [8, 8], "data_offsets": [512, 640]},
         "model.layers.1.mlp.gate_proj.weight": {"dtype": "F32", "shape": [16, 8], "data_offsets": [640, 1152]},
         "model.norm.weight": {"dtype": "BF16", "shape": [8], "data_offsets": [1152, 1168]}}
gptq = {"model.layers.0.self_attn.q_proj.qweight": {"dtype": "I32", "shape": [1, 8], "data_offsets": [0, 32]},
        "model.layers.0.self_attn.q_proj.qzeros": {"dtype": "I32", "shape": [1, 1], "data_offsets": [32, 36]},
        "model.layers.0.self_attn.q_proj.scales": {"dtype": "F16", "shape": [1, 8], "data_offsets": [36, 52]},
        "model.layers.0.self_attn.q_proj.g_idx": {"dtype": "I32", "shape": [8], "data_offsets": [52, 84]}}
bnb = {"model.layers.0.mlp.down_proj.weight": {"dtype": "U8", "shape": [64, 1], "data_offsets": [0, 64]},
       "model.layers.0.mlp.down_proj.weight.absmax": {"dtype": "F32", "shape": [2], "data_offsets": [64, 72]},
       "model.layers.0.mlp.down_proj.weight.quant_map": {"dtype": "F32", "shape": [16], "data_offsets": [72, 136]},
       "model.layers.0.mlp.down_proj.weight.quant_state.bitsandbytes__nf4": {"dtype": "U8", "shape": [4], "data_offsets": [136, 140]}}
fp8 = {"model.layers.0.mlp.up_proj.weight": {"dtype": "F8_E4M3", "shape": [16, 8], "data_offsets": [0, 128]},
       "model.layers.0.mlp.up_proj.weight_scale_inv": {"dtype": "F32", "shape": [1, 1], "data_offsets": [128, 132]},
       "model.layers.2.eh_proj.weight": {"dtype": "BF16", "shape": [8, 16], "data_offsets": [132, 388]}}
mx = {"model.layers.0.mlp.experts.gate_up_proj_blocks": {"dtype": "U8", "shape": [2, 16, 1, 16], "data_offsets": [0, 512]},
      "model.layers.0.mlp.experts.gate_up_proj_scales": {"dtype": "U8", "shape": [2, 16, 1], "data_offsets": [512, 544]}}
write(d, 'llama', b'\x02\x80' + hdr(llama))
write(d, 'llama-two-files', b'\x02\x80' + hdr(dict(list(llama.items())[:2])) + b'\xff' + hdr(dict(list(llama.items())[2:])))
write(d, 'gptq', bytes([2, 1 | (4 << 3)]) + hdr(gptq))
write(d, 'awq', bytes([2, 2 | (4 << 3)]) + hdr(gptq))
write(d, 'bnb-nf4', bytes([2, 3 | (4 << 3)]) + hdr(bnb))
write(d, 'fp8-mtp', bytes([2, 5 | (8 << 3)]) + hdr(fp8))
write(d, 'mxfp4', bytes([2, 6 | (4 << 3)]) + hdr(mx))
write(d, 'empty', b'\x02\x80{}')
write(d, 'bad-offsets', b'\x02\x80' + b'{"w":{"dtype":"F16","shape":[2],"data_offsets":[8,4]}}')
write(d, 'negative-shape', b'\x02\x80' + b'{"w":{"dtype":"F16","shape":[-2],"data_offsets":[0,4]}}')
write(d, 'all-dtypes', b'\x02\x80' + hdr({"t%d" % i: {"dtype": t, "shape": [2], "data_offsets": [0, 2 * n]} for i, (t, n) in enumerate(
    [("F64", 8), ("F32", 4), ("F16", 2), ("BF16", 2), ("I64", 8), ("I32", 4), ("I16", 2), ("I8", 1), ("U8", 1), ("BOOL", 1),
     ("F8_E4M3", 1), ("F8_E5M2", 1), ("U16", 2), ("U32", 4), ("U64", 8), ("F4", 1), ("F8_E8M0", 1)])}))

# url_state: the web tests' links and one per kind of parameter.
d = target('url_state')
links = ["#model=meta-llama%2FLlama-3.1-8B&tab=inference&inference.dtype=int4&inference.context=8192&units=GiB&lang=en",
         "#model=Qwen%2FQwen2.5-7B&tab=training&units=GB&lang=en", "#units=GB&lang=zh-CN", "#units=GiB&lang=en",
         "?hub=mistralai%2FMistral-7B-v0.1&tab=serving&serving.runtime=vllm&serving.gpuUtil=0.85&gpu=h100-sxm&gpus=2",
         "hub=gpt2&tab=finetune&finetune.method=qlora&finetune.loraRank=64&finetune.loraTargets=all-linear",
         "#tab=training&training.gradAccum=4&training.zero=3&training.optimizer=adamw8bit&training.checkpointing=full&gpus=8",
         "#source=manual&manual=" + urllib.parse.quote(mini({"hidden_size": 4096, "num_hidden_layers": 32})),
         "#config=" + base64.urlsafe_b64encode(mini(tiny).encode()).decode().rstrip('=') + "&tab=inference",
         "#model=x&model=google%2Fgemma-2-2b-it&inference.batch=4&inference.batch=8&inference.kvDtype=fp8&units=MiB",
         "#source=paste&tab=inference&inference.runtime=llama.cpp&inference.dtype=gguf%3AQ4_K_M&inference.ngl=20",
         "#gpus=0&gpus=99999&gpu=nope&tab=bogus&inference.unknownKnob=1&training.seq=-5&lang=%E4%B8%AD+%F0%9F%98%80",
         "#a=%zz&b=%E0%80%80&&=&c==d+e"]
for i, l in enumerate(links):
    write(d, 'link-%02d' % i, l)

# estimate: FuzzedDataProvider bytes; random seeds of a few lengths are enough to start from.
d = target('estimate')
for i in range(48):
    write(d, 'seed-%02d' % i, bytes(rng.randrange(256) for _ in range(rng.choice([16, 48, 96, 200]))))

# gguf: whole GGUF headers (ggml docs/gguf.md, little-endian v3) as gguf-py writes them, small.
d = target('gguf')
class G:
    def __init__(self, version=3, alignment=32):
        self.kv, self.ti, self.nkv, self.nt, self.off, self.align, self.version = b'', b'', 0, 0, 0, alignment, version
    def s(self, v): v = v.encode() if isinstance(v, str) else v; return struct.pack('<Q', len(v)) + v
    def key(self, k, t, payload): self.kv += self.s(k) + struct.pack('<I', t) + payload; self.nkv += 1; return self
    def u32(self, k, v): return self.key(k, 4, struct.pack('<I', v))
    def f32(self, k, v): return self.key(k, 6, struct.pack('<f', v))
    def str(self, k, v): return self.key(k, 8, self.s(v))
    def arr(self, k, t, fmt, items): return self.key(k, 9, struct.pack('<IQ', t, len(items)) + b''.join(struct.pack(fmt, x) for x in items))
    def strs(self, k, items): return self.key(k, 9, struct.pack('<IQ', 8, len(items)) + b''.join(self.s(x) for x in items))
    def tensor(self, name, dims, t, block, nbytes):
        n = 1
        for x in dims: n *= x
        self.ti += self.s(name) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', x) for x in dims) + struct.pack('<IQ', t, self.off)
        self.off += (n // block * nbytes + self.align - 1) // self.align * self.align; self.nt += 1; return self
    def bytes(self): return b'GGUF' + struct.pack('<IQQ', self.version, self.nt, self.nkv) + self.kv + self.ti
def tiny_gguf(arch='llama', layers=2, tied=False, kv=None, extra=None):
    g = G().str('general.architecture', arch).str('general.name', 'tiny').u32(arch + '.block_count', layers)
    g.u32(arch + '.embedding_length', 64).u32(arch + '.feed_forward_length', 128).u32(arch + '.attention.head_count', 4)
    g.u32(arch + '.context_length', 256).f32(arch + '.rope.freq_base', 10000.0).u32('general.file_type', 15)
    if kv is None: g.u32(arch + '.attention.head_count_kv', 2)
    else: g.arr(arch + '.attention.head_count_kv', 4, '<I', kv)
    if extra: extra(g)
    g.strs('tokenizer.ggml.tokens', ['t%d' % i for i in range(32)])
    g.tensor('token_embd.weight', [64, 32], 8, 32, 34)
    for i in range(layers):
        b = 'blk.%d.' % i
        g.tensor(b + 'attn_norm.weight', [64], 0, 1, 4).tensor(b + 'attn_q.weight', [64, 64], 8, 32, 34)
        g.tensor(b + 'attn_k.weight', [64, 32], 8, 32, 34).tensor(b + 'attn_v.weight', [64, 32], 8, 32, 34)
        g.tensor(b + 'attn_output.weight', [64, 64], 8, 32, 34).tensor(b + 'ffn_norm.weight', [64], 0, 1, 4)
        g.tensor(b + 'ffn_gate.weight', [64, 128], 8, 32, 34).tensor(b + 'ffn_up.weight', [64, 128], 8, 32, 34)
        g.tensor(b + 'ffn_down.weight', [128, 64], 8, 32, 34)
    g.tensor('output_norm.weight', [64], 0, 1, 4)
    if not tied: g.tensor('output.weight', [64, 32], 8, 32, 34)
    return g.bytes()
write(d, 'llama', tiny_gguf())
write(d, 'llama-tied', tiny_gguf(tied=True))
write(d, 'qwen3-kv-array', tiny_gguf('qwen3', 3, kv=[2, 2, 1]))
write(d, 'mixtral', tiny_gguf(extra=lambda g: g.u32('llama.expert_count', 4).u32('llama.expert_used_count', 2)))
write(d, 'gemma2-swa', tiny_gguf('gemma2', extra=lambda g: g.u32('gemma2.attention.sliding_window', 16)))
write(d, 'swa-pattern', tiny_gguf(extra=lambda g: g.arr('llama.attention.sliding_window_pattern', 7, '<B', [1, 0])))
write(d, 'unknown-arch', tiny_gguf('granite'))
every = G(version=2, alignment=64).u32('general.alignment', 64)
for i, (t, fmt, v) in enumerate([(0, '<B', 200), (1, '<b', -5), (2, '<H', 60000), (3, '<h', -300), (4, '<I', 7), (5, '<i', -7),
                                 (6, '<f', 0.5), (7, '<B', 1), (10, '<Q', 1 << 40), (11, '<q', -(1 << 40)), (12, '<d', 1e-300)]):
    every.key('k%d' % i, t, struct.pack(fmt, v))
every.key('nested', 9, struct.pack('<IQ', 9, 2) + struct.pack('<IQ', 5, 1) + struct.pack('<i', 3) + struct.pack('<IQ', 8, 1) + every.s('x'))
for t, (blk, nb) in {2: (32, 18), 12: (256, 144), 14: (256, 210), 23: (256, 136), 30: (1, 2), 39: (32, 17)}.items():
    every.tensor('t%d' % t, [256, 2], t, blk, nb)
write(d, 'every-type-v2', every.bytes())
write(d, 'prefix', tiny_gguf()[:100])
write(d, 'empty', b'')
write(d, 'magic-only', b'GGUF')

# dictionaries
def dict_file(name, words):
    with open(os.path.join(os.path.dirname(__file__), name), 'w') as f:
        f.write('# libFuzzer dictionary (tools/fuzz/seeds.py)\n')
        for w in sorted(set(words)):
            f.write('"%s"\n' % ''.join(c if 32 <= ord(c) < 127 and c not in '"\\' else '\\x%02X' % ord(c) for c in w))

keys, strs = set(), set()
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            keys.add(k); walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
    elif isinstance(o, str) and len(o) < 40:
        strs.add(o)
for c in configs.values(): walk(c)

# Every key the engine's config readers ask for (structure-aware fuzzing): the string literals given
# to a FieldReader getter in the architecture table (engine/src/model/arch/*.cpp, one file per
# family), the shared readers and the quantization_config reader, nested ones ("text_config",
# "vision_config", "quantization_config") included. Mutations then hit every numeric field the
# engine reads, not only the ones the catalog configs happen to hold.
import glob, re
reader_call = re.compile(r'\b(?:positive(?:_or)?|opt_uint|opt_number|number_or|bool_or|string_or|has|object|array|'
                         r'first_present|read_fraction|strict_bool|expect_float|expect_list|expect_one_of|read_string_list|'
                         r'read_layer_list|contains|nested)\(([^;]*)')
engine_keys = set()
for f in sorted(glob.glob('engine/src/model/arch/*.cpp') + ['engine/src/model/config_readers.cpp', 'engine/src/model/config_readers.hpp',
                                                               'engine/src/model/quant_config.cpp', 'engine/src/model/description.cpp']):
    for m in reader_call.finditer(open(f).read()):
        engine_keys.update(k for k in re.findall(r'"([a-z_][a-z0-9_]*)"', m.group(1)))
keys |= engine_keys
json_tokens = ['{', '}', '[', ']', ':', ',', '"', 'true', 'false', 'null', '-1', '0', '1e308', '-0', '1.5',
               '18446744073709551616', '9223372036854775807', '4294967296', '\\u0000', '\\ud800', 'NaN', 'Infinity']
# Values at the engine's limits (engine/src/model/config_readers.hpp, json_reader.hpp kMaxDim) and
# just past them, so products of several fields near their limits are tried.
limits = [str(v) for e in (16, 20, 31, 32, 40, 62, 63, 64) for v in (2 ** e - 1, 2 ** e, 2 ** e + 1)]
dict_file('config.dict', json_tokens + limits + ['"%s":' % k for k in keys] + ['"%s"' % s for s in strs] +
          ['"quant_method":', '"bits":', '"group_size":', '"text_config":', '"vision_config":', '"gptq"', '"awq"',
           '"bitsandbytes"', '"fp8"', '"fbgemm_fp8"', '"mxfp4"', '"dynamic"', '"static"', '"gemm"', '0.5', '-0.5', '1e300', '6.0'])
print('config.dict: %d engine reader keys, %d keys in all' % (len(engine_keys), len(keys)))
dict_file('safetensors.dict', json_tokens + ['"__metadata__"', '"dtype":', '"shape":', '"data_offsets":', '"format":"pt"'] +
          ['"%s"' % t for t in ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2"]] +
          ['model.layers.', '.weight', '.bias', '.qweight', '.qzeros', '.scales', '.g_idx', '.absmax', '.SCB',
           '.weight_scale_inv', '_blocks', '_scales', 'lm_head', 'embed_tokens', '\xff'])
camel = lambda k: k.split('_')[0] + ''.join(p.title() for p in k.split('_')[1:])
opt_keys = ["dtype", "kv_dtype", "batch", "context", "prompt", "runtime", "attn", "gpu_util", "gpu_memory_bytes",
            "cuda_graphs", "max_batched_tokens", "ngl", "ubatch", "n_batch", "overhead_mib", "tp", "pp", "method",
            "optimizer", "precision", "state_bytes", "seq", "grad_accum", "checkpointing", "dropout", "lora_rank",
            "lora_targets", "dora", "adapter_dtype", "gpus", "zero", "fsdp", "offload_optimizer", "offload_params", "sp"]
values = ["auto", "fp32", "fp16", "bf16", "fp8", "int8", "nf4", "nf4-dq", "int4", "gptq-4", "awq-4", "mxfp4",
          "gguf:Q4_K_M", "vllm", "llama.cpp", "transformers", "flash", "eager", "sdpa", "lora", "qlora", "full",
          "adamw", "adamw8bit", "sgd", "amp_bf16", "mixed_bf16", "selective", "full_shard", "cpu", "nvme", "true", "false"]
dict_file('url_state.dict', ['model=', 'hub=', 'config=', 'manual=', 'source=', 'tab=', 'gpu=', 'gpus=', 'units=', 'lang=',
                             '&', '=', '%', '%25', '%2F', '%00', '%FF', '+', '#', '?', 'inference.', 'serving.', 'finetune.',
                             'training.', 'catalog', 'paste', 'GiB', 'GB', 'en', 'h100-sxm', 'rtx-4090'] +
          [camel(k) + '=' for k in opt_keys] + values)
dict_file('gguf.dict', ['GGUF', '\x03\x00\x00\x00', '\x02\x00\x00\x00', '\x00\x00\x00\x03', '\xff\xff\xff\xff\xff\xff\xff\xff',
                         '\x00\x00\x00\x00\x00\x00\x00\x00', '\x09\x00\x00\x00', '\x08\x00\x00\x00', 'general.architecture',
                         'general.alignment', 'general.file_type', 'split.count', 'split.no', 'tokenizer.ggml.tokens', 'llama', 'qwen3',
                         'gemma2', 'deepseek2', '.block_count', '.embedding_length', '.feed_forward_length', '.attention.head_count',
                         '.attention.head_count_kv', '.attention.key_length', '.attention.sliding_window', '.expert_count',
                         '.expert_used_count', '.attention.kv_lora_rank', 'blk.0.', 'token_embd.weight', 'output.weight', 'rope_freqs.weight'])
dict_file('estimate.dict', values + [str(1 << n) for n in (10, 20, 24, 32, 50, 63)])
