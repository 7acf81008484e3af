// quantization_config → QuantSpec, validated the way transformers' quantization configs validate
// themselves (BitsAndBytesConfig.post_init, GPTQConfig / AwqConfig, FineGrainedFP8Config): a config
// transformers would refuse is an error naming the key, never a silent guess.
#pragma once

#include "base/json_reader.hpp"
#include "vram/model/description.hpp"

namespace vram::detail {

void read_quantization(FieldReader& top, ModelDescription& s);

}  // namespace vram::detail
