#include "asl/validator/map_fields.hpp"

#include "asl/validator/state_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <cstdio>

namespace stepline::asl::validation {
namespace {

constexpr std::int64_t kMaxItems = 100000000;
constexpr std::int64_t kMaxBatchBytes = 262144;

void check_template_or_arguments(const StateSite& site, const json::Object& object,
                                 const std::string& location) {
  Sink& sink = site.run.sink;
  if (const auto* parameters = jsonpath_field(site, object, "Parameters"))
    check_payload_template(sink, *parameters, child(location, "Parameters"));
  if (const auto* arguments = jsonata_field(site, object, "Arguments"))
    check_jsonata_strings(sink, *arguments, child(location, "Arguments"));
}

void check_allowed(Sink& sink, const json::Object& object, const std::string& location,
                   std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, member] : object) {
    (void)member;
    bool ok = false;
    for (auto field : allowed) ok = ok || field == key;
    if (!ok) sink.schema("Field '" + std::string(key) + "' is not supported", location);
  }
}

// Decodes the code point at text[i] (UTF-8), advancing i; malformed bytes decode as themselves.
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i++]);
  if (byte < 0x80) return byte;
  int extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
  std::uint32_t cp = byte & (0x3F >> extra);
  while (extra-- > 0 && i < text.size())
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  return cp;
}

bool forbidden_in_name(std::uint32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  for (char c : std::string_view("<>{}[]?*\"#%\\^|~`$&,;:/"))
    if (cp == static_cast<unsigned char>(c)) return true;
  return false;
}

std::string describe_code_point(std::uint32_t cp) {
  char buffer[16];
  if (cp == '\r') return "\\r";
  if (cp == '\t') return "\\t";
  if (cp == '\n') return "\\n";
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
    std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(cp));
    return buffer;
  }
  return std::string(1, static_cast<char>(cp));
}

}  // namespace

void check_count_field(const StateSite& site, const json::Object& object, std::string_view field,
                       std::int64_t min, std::int64_t max, const std::string* parent) {
  const auto* value = object.if_contains(field);
  if (!value) return;
  const std::string location = child(parent ? *parent : site.pointer, field);
  if (site.language == Language::JSONata && is_expression_string(*value)) {
    check_jsonata_strings(site.run.sink, *value, location);
    return;
  }
  expect_integer(site.run.sink, *value, location, min, max);
}

void check_item_reader(const StateSite& site, const json::Value& value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "ItemReader");
  if (!expect_object(sink, value, location)) return;
  const auto& reader = value.get_object();
  check_allowed(sink, reader, location, {"Resource", "Parameters", "Arguments", "ReaderConfig"});
  if (const auto* resource = reader.if_contains("Resource")) {
    expect_string(sink, *resource, child(location, "Resource"));
  } else {
    sink.schema("The field 'Resource' is required but was missing", location);
  }
  check_template_or_arguments(site, reader, location);
  const auto* config_value = reader.if_contains("ReaderConfig");
  if (!config_value) return;
  const std::string config_location = child(location, "ReaderConfig");
  if (!expect_object(sink, *config_value, config_location)) return;
  const auto& config = config_value->get_object();
  check_exclusive(site, config, config_location, {"MaxItems", "MaxItemsPath"});
  check_count_field(site, config, "MaxItems", 0, kMaxItems, &config_location);
  if (const auto* path = jsonpath_field(site, config, "MaxItemsPath"))
    check_reference_path_field(sink, *path, child(config_location, "MaxItemsPath"),
                               {.allow_context = false});
  if (const auto* v = config.if_contains("InputType"))
    check_enum(sink, *v, child(config_location, "InputType"), "InputType",
               {"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"});
  if (const auto* v = config.if_contains("CSVHeaderLocation"))
    check_enum(sink, *v, child(config_location, "CSVHeaderLocation"), "CSVHeaderLocation",
               {"FIRST_ROW", "GIVEN"});
  if (const auto* v = config.if_contains("CSVDelimiter"))
    check_enum(sink, *v, child(config_location, "CSVDelimiter"), "CSVDelimiter",
               {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"});
  if (const auto* v = config.if_contains("CSVHeaders")) {
    const std::string headers_location = child(config_location, "CSVHeaders");
    if (expect_array(sink, *v, headers_location))
      for (std::size_t i = 0; i < v->get_array().size(); ++i)
        expect_string(sink, v->get_array()[i], child(headers_location, i));
  }
}

void check_item_batcher(const StateSite& site, const json::Value& value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "ItemBatcher");
  if (!expect_object(sink, value, location)) return;
  const auto& batcher = value.get_object();
  check_allowed(sink, batcher, location,
                {"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
                 "MaxInputBytesPerBatchPath", "BatchInput"});
  if (!batcher.contains("MaxItemsPerBatch") && !batcher.contains("MaxItemsPerBatchPath") &&
      !batcher.contains("MaxInputBytesPerBatch") && !batcher.contains("MaxInputBytesPerBatchPath"))
    sink.schema(
        "At least one of these fields must be set: [MaxItemsPerBatch, MaxItemsPerBatchPath, "
        "MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]",
        location);
  check_exclusive(site, batcher, location, {"MaxItemsPerBatch", "MaxItemsPerBatchPath"});
  check_exclusive(site, batcher, location, {"MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"});
  check_count_field(site, batcher, "MaxItemsPerBatch", 1, kMaxItems, &location);
  check_count_field(site, batcher, "MaxInputBytesPerBatch", 1, kMaxBatchBytes, &location);
  for (std::string_view field : {"MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"})
    if (const auto* path = jsonpath_field(site, batcher, field))
      check_reference_path_field(sink, *path, child(location, field), {.allow_context = false});
  if (const auto* input = batcher.if_contains("BatchInput")) {
    const std::string input_location = child(location, "BatchInput");
    if (site.language == Language::JSONPath) {
      if (expect_object(sink, *input, input_location))
        check_payload_template(sink, *input, input_location);
    } else {
      check_jsonata_strings(sink, *input, input_location);
    }
  }
}

void check_result_writer(const StateSite& site, const json::Value& value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "ResultWriter");
  if (!expect_object(sink, value, location)) return;
  const auto& writer = value.get_object();
  if (writer.empty()) {
    sink.schema("Value cannot be empty", location);
    return;
  }
  check_allowed(sink, writer, location, {"Resource", "Parameters", "Arguments", "WriterConfig"});
  if (const auto* resource = writer.if_contains("Resource"))
    expect_string(sink, *resource, child(location, "Resource"));
  check_template_or_arguments(site, writer, location);
  const auto* config_value = writer.if_contains("WriterConfig");
  if (!config_value) return;
  const std::string config_location = child(location, "WriterConfig");
  if (!expect_object(sink, *config_value, config_location)) return;
  const auto& config = config_value->get_object();
  if (const auto* v = config.if_contains("OutputType"))
    check_enum(sink, *v, child(config_location, "OutputType"), "OutputType", {"JSON", "JSONL"});
  if (const auto* v = config.if_contains("Transformation"))
    check_enum(sink, *v, child(config_location, "Transformation"), "Transformation",
               {"NONE", "COMPACT", "FLATTEN"});
}

void check_label(const StateSite& site, const json::Value& value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "Label");
  if (!expect_string(sink, value, location)) return;
  const std::string_view label = value.get_string();
  if (label.empty()) {
    sink.error("INVALID_LABEL_NAME", "Label cannot be empty", location);
    return;
  }
  std::size_t length = 0;
  for (std::size_t i = 0; i < label.size();) {
    const std::uint32_t cp = next_code_point(label, i);
    ++length;
    if (forbidden_in_name(cp)) {
      sink.error("INVALID_LABEL_NAME",
                 "Label contains invalid character: '" + describe_code_point(cp) + "'", location);
      return;
    }
  }
  if (length > 40) {
    sink.error("INVALID_LABEL_NAME", "Label cannot be longer than 40 characters", location);
    return;
  }
  if (!site.run.labels.insert(std::string(label)).second)
    sink.error("DUPLICATE_LABEL_NAME", "Duplicate Label: " + std::string(label), location);
}

}  // namespace stepline::asl::validation
