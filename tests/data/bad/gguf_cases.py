#!/usr/bin/env python3
"""Writes the GGUF cases of the bad-input corpus (tests/data/bad/gguf-*.gguf) and prints their
cases.json entries. Headers only (the readers never look past the tensor infos), little-endian v3
as gguf-py writes them unless a case says otherwise. Deterministic; run from the repository root."""
import json, os, struct

D = os.path.dirname(__file__)
def s(v): v = v.encode() if isinstance(v, str) else v; return struct.pack('<Q', len(v)) + v
class G:
    def __init__(self, version=3):
        self.kv, self.ti, self.nkv, self.nt, self.off, self.version = b'', b'', 0, 0, 0, version
    def key(self, k, t, payload): self.kv += s(k) + struct.pack('<I', t) + payload; self.nkv += 1; return self
    def u32(self, k, v): return self.key(k, 4, struct.pack('<I', v))
    def str(self, k, v): return self.key(k, 8, s(v))
    def tensor(self, name, dims, t=0, block=1, nbytes=4, offset=None):
        n = 1
        for x in dims: n *= x
        self.ti += s(name) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', x) for x in dims)
        self.ti += struct.pack('<IQ', t, self.off if offset is None else offset)
        self.off += (n // block * nbytes + 31) // 32 * 32; self.nt += 1; return self
    def bytes(self, nt=None, nkv=None):
        return b'GGUF' + struct.pack('<IQQ', self.version, self.nt if nt is None else nt, self.nkv if nkv is None else nkv) + self.kv + self.ti
def model(g=None, arch='llama', layers=2, kv=2):
    g = g or G()
    g.str('general.architecture', arch).u32(arch + '.block_count', layers).u32(arch + '.embedding_length', 64)
    g.u32(arch + '.feed_forward_length', 128).u32(arch + '.attention.head_count', 4).u32(arch + '.context_length', 256)
    if kv is not None: g.u32(arch + '.attention.head_count_kv', kv)
    return g
def tensors(g, layers=2):
    g.tensor('token_embd.weight', [64, 32], 8, 32, 34)
    for i in range(layers):
        for n, dims in [('attn_norm', [64]), ('ffn_norm', [64])]: g.tensor('blk.%d.%s.weight' % (i, n), dims)
        for n, dims in [('attn_q', [64, 64]), ('attn_k', [64, 32]), ('attn_v', [64, 32]), ('attn_output', [64, 64]),
                        ('ffn_gate', [64, 128]), ('ffn_up', [64, 128]), ('ffn_down', [128, 64])]:
            g.tensor('blk.%d.%s.weight' % (i, n), dims, 8, 32, 34)
    g.tensor('output_norm.weight', [64]).tensor('output.weight', [64, 32], 8, 32, 34)
    return g

cases = []
def case(name, data, description, expect, parts=None):
    files = []
    for i, b in enumerate(data if isinstance(data, list) else [data]):
        f = 'gguf-%s%s.gguf' % (name, '' if not isinstance(data, list) else '-%d' % (i + 1))
        open(os.path.join(D, f), 'wb').write(b)
        files.append(f)
    cases.append({"id": "gguf-" + name, "kind": "gguf", "description": description, "parts": files, "expect": expect})
def err(code, message, field=None):
    return lambda f: {"error": {"code": code, "field": field or f, "message": message}}

good = tensors(model()).bytes()
case('good', good, 'a small well-formed Llama GGUF header (control case)', {"ok": {}})
case('truncated', good[:300], 'the first 300 bytes of a header: the reader asks for more bytes', {"ok": {"warning": "need_bytes"}})
case('bad-magic', b'GGML' + good[4:], 'not GGUF magic', err('invalid_value', 'not a GGUF file'))
case('v1', G(version=1).bytes(), 'GGUF v1 (32-bit counts) is no longer read by ggml', err('unsupported', 'GGUF version 1 is not supported'))
case('tensor-count', b'GGUF' + struct.pack('<IQQ', 3, 1 << 40, 0), 'tensor_count 2^40', err('invalid_value', 'tensor_count 1,099,511,627,776 is over the limit'))
case('kv-count', b'GGUF' + struct.pack('<IQQ', 3, 0, (1 << 64) - 1), 'metadata_kv_count 2^64 − 1', err('invalid_value', 'metadata_kv_count'))
case('key-length', b'GGUF' + struct.pack('<IQQQ', 3, 0, 1, (1 << 64) - 1), 'a key length of 2^64 − 1', err('invalid_value', 'metadata key 0 is 18,446,744,073,709,551,615 bytes long'))
case('string-length', G().key('s', 8, struct.pack('<Q', 1 << 40)).bytes(), 'a 1 TiB string value', err('invalid_value', 'a string of 1,099,511,627,776 bytes'))
case('array-length', G().key('a', 9, struct.pack('<IQ', 4, 1 << 62)).bytes(), 'an array of 2^62 u32', err('invalid_value', 'an array of 4,611,686,018,427,387,904 items'))
case('array-bytes', G().key('a', 9, struct.pack('<IQ', 10, 1 << 26)).bytes(), 'an array of 2^26 u64 (512 MiB) passes the header limit', err('overflow', 'the GGUF header is larger than 256.0 MiB'))
case('deep-array', G().key('d', 9, struct.pack('<IQ', 9, 1) * 9).bytes(), 'arrays of arrays 9 deep', err('invalid_value', 'arrays nested more than 8 deep'))
case('value-type', G().key('v', 13, b'').bytes(), 'value type 13', err('invalid_value', 'unknown value type 13'))
case('bool', G().key('b', 7, b'\x05').bytes(), 'a bool of 5', err('invalid_value', 'a bool must be 0 or 1, got 5'))
case('duplicate-key', G().u32('k', 1).u32('k', 2).bytes(), 'one key twice', err('invalid_value', 'metadata key "k" appears more than once'))
case('alignment', G().u32('general.alignment', 48).bytes(), 'alignment 48', err('invalid_value', 'general.alignment must be a u32 power of two, got 48'))
case('tensor-name', G().tensor('n' * 64, [1]).bytes(), 'a tensor name of 64 bytes (GGML_MAX_NAME)', err('invalid_value', 'a name of 64 bytes (at most 63)'))
case('dims', G().tensor('t', [1, 1, 1, 1, 1]).bytes(), '5 dimensions', err('invalid_value', '5 dimensions (at most 4)'))
case('shape', G().tensor('t', [1 << 30, 1 << 30]).bytes(), 'a shape of 2^60 elements', err('overflow', 'makes the shape too large'))
case('tensor-type', G().tensor('t', [32], 4).bytes(), 'the removed ggml type 4 (Q4_2)', err('unsupported', 'unknown ggml type 4'))
case('row-block', G().tensor('t', [100, 2], 12, 256, 144).bytes(), 'a Q4_K row of 100 elements', err('invalid_value', 'not a whole number of Q4_K blocks of 256'))
case('offset', G().tensor('a', [8]).tensor('b', [8], offset=64).bytes(), 'a gap between tensors', err('invalid_value', 'is at data offset 64 where 32 was expected'))
case('duplicate-tensor', G().tensor('t', [8]).tensor('t', [8]).bytes(), 'one tensor name twice', err('invalid_value', 'tensor "t" appears more than once'))
case('no-architecture', tensors(G().u32('llama.block_count', 2)).bytes(), 'no general.architecture', err('missing_field', 'general.architecture is missing'))
case('block-count', tensors(model(layers=0), 0).bytes(), 'block_count 0', err('invalid_value', 'llama.block_count must be in [1, 4096], got 0'))
case('kv-array', tensors(model(G().key('llama.attention.head_count_kv', 9, struct.pack('<IQIII', 4, 3, 2, 2, 2)), kv=None)).bytes(),
     'head_count_kv with 3 items for 2 layers', err('invalid_value', 'llama.attention.head_count_kv has 3 items but the model has 2 layers'))
case('split-missing', tensors(model().u32('split.no', 0).u32('split.count', 2)).bytes(), 'part 1 of a 2-part split alone',
     err('invalid_value', 'split.count says 2 files, 1 given'))
case('split', [tensors(model().u32('split.no', 0).u32('split.count', 2), 1).bytes(),
               G().u32('split.no', 1).u32('split.count', 2).tensor('blk.1.attn_q.weight', [64, 64], 8, 32, 34).bytes()],
     'a 2-part split: the parts are summed', {"ok": {}})
case('heads-over-hidden', tensors(model(kv=8)).bytes(), 'more KV heads (8) than heads (4): the config reader refuses it',
     err('invalid_value', 'must divide', 'num_key_value_heads'))
for c in cases:
    if callable(c["expect"]): c["expect"] = c["expect"](c["parts"][0])
print(json.dumps(cases, indent=1, ensure_ascii=False))
