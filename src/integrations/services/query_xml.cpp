#include "integrations/services/query_xml.hpp"

namespace stepline::integrations::services {

namespace {

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto end = text.find(';', i);
    if (end == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "amp")
      out += '&';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else if (!entity.empty() && entity[0] == '#') {
      try {
        const unsigned long code = entity.size() > 1 && entity[1] == 'x'
                                       ? std::stoul(std::string(entity.substr(2)), nullptr, 16)
                                       : std::stoul(std::string(entity.substr(1)));
        if (code < 0x80) out += static_cast<char>(code);
      } catch (const std::exception&) {
      }
    } else {
      out += text.substr(i, end - i + 1);
    }
    i = end;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view xml) : xml_(xml) {}

  // At '<' of an element start tag: parses the element, returns its name and value.
  std::optional<std::pair<std::string, json::Value>> element(int depth = 0) {
    // AWS answers are shallow; a deeper document is not one of them (and would exhaust the stack).
    if (depth > 64 || pos_ >= xml_.size() || xml_[pos_] != '<') return std::nullopt;
    const auto close = xml_.find('>', pos_);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view tag = xml_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    const bool empty = !tag.empty() && tag.back() == '/';
    if (empty) tag.remove_suffix(1);
    std::string name(tag.substr(0, tag.find_first_of(" \t\r\n")));
    if (empty) return std::make_pair(name, json::Value(json::String("")));
    json::Object children;
    json::Array items;
    bool has_children = false, is_list = false;
    std::string text;
    for (;;) {
      const auto next = xml_.find('<', pos_);
      if (next == std::string_view::npos) return std::nullopt;
      text += xml_.substr(pos_, next - pos_);
      pos_ = next;
      if (xml_.substr(pos_, 2) == "</") {
        const auto end = xml_.find('>', pos_);
        if (end == std::string_view::npos) return std::nullopt;
        pos_ = end + 1;
        break;
      }
      if (xml_.substr(pos_, 4) == "<!--") {
        const auto end = xml_.find("-->", pos_);
        if (end == std::string_view::npos) return std::nullopt;
        pos_ = end + 3;
        continue;
      }
      auto child = element(depth + 1);
      if (!child) return std::nullopt;
      has_children = true;
      if (child->first == "member" || child->first == "entry") {
        is_list = true;
        items.push_back(std::move(child->second));
      } else {
        children[child->first] = std::move(child->second);
      }
    }
    if (is_list) return std::make_pair(name, json::Value(std::move(items)));
    if (has_children) return std::make_pair(name, json::Value(std::move(children)));
    return std::make_pair(name, json::Value(json::String(unescape(text))));
  }

  void seek(std::size_t pos) { pos_ = pos; }

 private:
  std::string_view xml_;
  std::size_t pos_ = 0;
};

std::size_t find_start_tag(std::string_view xml, std::string_view name) {
  std::size_t from = 0;
  for (;;) {
    const auto at = xml.find(std::string("<") + std::string(name), from);
    if (at == std::string_view::npos) return at;
    const char after = at + 1 + name.size() < xml.size() ? xml[at + 1 + name.size()] : '\0';
    if (after == '>' || after == ' ' || after == '/' || after == '\t' || after == '\n') return at;
    from = at + 1;
  }
}

}  // namespace

std::optional<json::Value> xml_element_to_json(std::string_view xml, std::string_view name) {
  const auto at = find_start_tag(xml, name);
  if (at == std::string_view::npos) return std::nullopt;
  Parser parser(xml);
  parser.seek(at);
  auto parsed = parser.element();
  if (!parsed) return std::nullopt;
  return std::move(parsed->second);
}

std::string xml_text(std::string_view xml, std::string_view name) {
  auto value = xml_element_to_json(xml, name);
  return value && value->is_string() ? std::string(value->get_string()) : "";
}

}  // namespace stepline::integrations::services
