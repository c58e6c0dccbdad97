#include "query/jsonata/datetime.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/integer_picture.hpp"
#include "query/jsonata/regex.hpp"

#include <cmath>
#include <map>
#include <vector>

namespace stepline::jsonata {

namespace {

constexpr double kDay = 86400000.0;
const char* const kDays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                             "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

double days_from_civil(double y, double m, double d) {
  y -= m <= 2;
  double era = std::floor(y / 400);
  double yoe = y - era * 400;
  double doy = std::floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  double doe = yoe * 365 + std::floor(yoe / 4) - std::floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Date.UTC with JavaScript's overflow normalisation.
double date_utc(double y, double mon, double d = 1, double h = 0, double mi = 0, double s = 0,
                double ms = 0) {
  y += std::floor(mon / 12);
  mon = std::fmod(mon, 12);
  if (mon < 0) mon += 12;
  double days = days_from_civil(y, mon + 1, 1) + d - 1;
  return days * kDay + h * 3600000 + mi * 60000 + s * 1000 + ms;
}

struct Civil {
  double year, month, day;  // month 0-based
  double hours, minutes, seconds, millis;
  int weekday;  // 0 = Sunday
};

Civil to_civil(double t) {
  double days = std::floor(t / kDay);
  double ms_in_day = t - days * kDay;
  double z = days + 719468;
  double era = std::floor(z / 146097);
  double doe = z - era * 146097;
  double yoe = std::floor(
      (doe - std::floor(doe / 1460) + std::floor(doe / 36524) - std::floor(doe / 146096)) / 365);
  double y = yoe + era * 400;
  double doy = doe - (365 * yoe + std::floor(yoe / 4) - std::floor(yoe / 100));
  double mp = std::floor((5 * doy + 2) / 153);
  double d = doy - std::floor((153 * mp + 2) / 5) + 1;
  double m = mp < 10 ? mp + 3 : mp - 9;
  Civil c;
  c.year = y + (m <= 2);
  c.month = m - 1;
  c.day = d;
  c.hours = std::floor(ms_in_day / 3600000);
  c.minutes = std::floor(std::fmod(ms_in_day, 3600000) / 60000);
  c.seconds = std::floor(std::fmod(ms_in_day, 60000) / 1000);
  c.millis = std::fmod(ms_in_day, 1000);
  int wd = static_cast<int>(std::fmod(days + 4, 7));
  c.weekday = wd < 0 ? wd + 7 : wd;
  return c;
}

double start_of_first_week(double year, double month) {
  double jan1 = date_utc(year, month);
  int day = to_civil(jan1).weekday;
  if (day == 0) day = 7;
  return day > 4 ? jan1 + (8 - day) * kDay : jan1 - (day - 1) * kDay;
}

double delta_weeks(double start, double end) {
  return (end - start) / (kDay * 7) + 1;
}

// A component's value: numbers for most, "am"/"pm" for P, "ISO" for C and E.
struct Fragment {
  double number = 0;
  std::string text;
  bool is_text = false;
};

Fragment fragment(double t, char component) {
  Civil c = to_civil(t);
  Fragment f;
  switch (component) {
    case 'Y':
      f.number = c.year;
      break;
    case 'M':
      f.number = c.month + 1;
      break;
    case 'D':
      f.number = c.day;
      break;
    case 'd':
      f.number = std::floor((t - date_utc(c.year, 0)) / kDay) + 1;
      break;
    case 'F':
      f.number = c.weekday == 0 ? 7 : c.weekday;
      break;
    case 'W': {
      double start = start_of_first_week(c.year, 0);
      double today = date_utc(c.year, c.month, c.day);
      double week = delta_weeks(start, today);
      if (week > 52) {
        if (today >= start_of_first_week(c.year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = delta_weeks(start_of_first_week(c.year - 1, 0), today);
      }
      f.number = std::floor(week);
      break;
    }
    case 'w': {
      double start = start_of_first_week(c.year, c.month);
      double today = date_utc(c.year, c.month, c.day);
      double week = delta_weeks(start, today);
      if (week > 4) {
        double ny = c.month == 11 ? c.year + 1 : c.year, nm = c.month == 11 ? 0 : c.month + 1;
        if (today >= start_of_first_week(ny, nm)) week = 1;
      } else if (week < 1) {
        double py = c.month == 0 ? c.year - 1 : c.year, pm = c.month == 0 ? 11 : c.month - 1;
        week = delta_weeks(start_of_first_week(py, pm), today);
      }
      f.number = std::floor(week);
      break;
    }
    case 'X': {
      double start = start_of_first_week(c.year, 0);
      double end = start_of_first_week(c.year + 1, 0);
      f.number = t < start ? c.year - 1 : t >= end ? c.year + 1 : c.year;
      break;
    }
    case 'x': {
      double start = start_of_first_week(c.year, c.month);
      double ny = c.month == 11 ? c.year + 1 : c.year, nm = c.month == 11 ? 0 : c.month + 1;
      double end = start_of_first_week(ny, nm);
      double pm = c.month == 0 ? 11 : c.month - 1;
      f.number = t < start ? pm + 1 : t >= end ? nm + 1 : c.month + 1;
      break;
    }
    case 'H':
      f.number = c.hours;
      break;
    case 'h': {
      double h = std::fmod(c.hours, 12);
      f.number = h == 0 ? 12 : h;
      break;
    }
    case 'P':
      f.text = c.hours >= 12 ? "pm" : "am";
      f.is_text = true;
      break;
    case 'm':
      f.number = c.minutes;
      break;
    case 's':
      f.number = c.seconds;
      break;
    case 'f':
      f.number = c.millis;
      break;
    case 'C':
    case 'E':
      f.text = "ISO";
      f.is_text = true;
      break;
    default:
      break;
  }
  return f;
}

enum class Names { None, Lower, Upper, Title };

struct Part {
  bool literal = false;
  std::string value;  // literal text
  char component = 0;
  std::string presentation1, presentation2;
  std::optional<int> width_min, width_max;
  bool has_width = false;
  Names names = Names::None;
  std::optional<IntegerPicture> integer;
  int n = -1;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

std::vector<Part> analyse_picture(const std::string& picture) {
  static const std::map<char, std::string> defaults = {
      {'Y', "1"}, {'M', "1"},     {'D', "1"},     {'d', "1"}, {'F', "n"}, {'W', "1"},  {'w', "1"},
      {'X', "1"}, {'x', "1"},     {'H', "1"},     {'h', "1"}, {'P', "n"}, {'m', "01"}, {'s', "01"},
      {'f', "1"}, {'Z', "01:01"}, {'z', "01:01"}, {'C', "n"}, {'E', "n"}};
  std::vector<Part> spec;
  auto add_literal = [&](std::size_t start, std::size_t end) {
    if (end > start) {
      Part p;
      p.literal = true;
      p.value = replace_all(picture.substr(start, end - start), "]]", "]");
      spec.push_back(p);
    }
  };
  std::size_t start = 0, pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == '[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
        add_literal(start, pos);
        Part p;
        p.literal = true;
        p.value = "[";
        spec.push_back(p);
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = picture.find(']', start);
      if (pos == std::string::npos) throw Failure("D3135");
      std::string marker;
      for (char c : picture.substr(start + 1, pos - start - 1))
        if (!std::isspace(static_cast<unsigned char>(c))) marker += c;
      Part def;
      def.component = marker.empty() ? '\0' : marker[0];
      auto comma = marker.rfind(',');
      std::string pres;
      if (comma != std::string::npos) {
        std::string width = marker.substr(comma + 1);
        auto dash = width.find('-');
        auto parse_width = [](const std::string& w) -> std::optional<int> {
          if (w.empty() || w == "*") return std::nullopt;
          try {
            return std::stoi(w);
          } catch (...) {
            return std::nullopt;
          }
        };
        def.has_width = true;
        if (dash == std::string::npos) {
          def.width_min = parse_width(width);
        } else {
          def.width_min = parse_width(width.substr(0, dash));
          def.width_max = parse_width(width.substr(dash + 1));
        }
        pres = marker.substr(1, comma - 1);
      } else {
        pres = marker.size() > 1 ? marker.substr(1) : "";
      }
      if (pres.size() == 1) {
        def.presentation1 = pres;
      } else if (pres.size() > 1) {
        char last = pres.back();
        if (std::string("atco").find(last) != std::string::npos) {
          def.presentation2 = std::string(1, last);
          def.presentation1 = pres.substr(0, pres.size() - 1);
        } else {
          def.presentation1 = pres;
        }
      } else {
        auto it = defaults.find(def.component);
        if (it == defaults.end())
          throw Failure("D3132").with_value(Value::string(std::string(1, def.component)));
        def.presentation1 = it->second;
      }
      if (defaults.find(def.component) == defaults.end())
        throw Failure("D3132").with_value(Value::string(std::string(1, def.component)));
      if (def.presentation1[0] == 'n') {
        def.names = Names::Lower;
      } else if (def.presentation1[0] == 'N') {
        def.names = def.presentation1.size() > 1 && def.presentation1[1] == 'n' ? Names::Title
                                                                                : Names::Upper;
      } else if (std::string("YMDdFWwXxHhmsf").find(def.component) != std::string::npos) {
        std::string pattern = def.presentation1;
        if (!def.presentation2.empty()) pattern += ";" + def.presentation2;
        def.integer = analyse_integer_picture(pattern);
        if (def.width_min && def.integer->mandatory_digits < *def.width_min)
          def.integer->mandatory_digits = *def.width_min;
        if (std::string("YMD").find(def.component) != std::string::npos) {
          def.n = -1;
          if (def.width_max) {
            def.n = *def.width_max;
            def.integer->mandatory_digits = def.n;
          } else {
            int w = def.integer->mandatory_digits + def.integer->optional_digits;
            if (w >= 2) def.n = w;
          }
        }
        if (!spec.empty() && spec.back().integer)
          spec.back().integer->parse_width = spec.back().integer->mandatory_digits;
      }
      if (def.component == 'Z' || def.component == 'z')
        def.integer = analyse_integer_picture(def.presentation1);
      spec.push_back(def);
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return spec;
}

std::string case_names(std::string s, Names names) {
  for (auto& c : s) {
    if (names == Names::Upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (names == Names::Lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

std::string format_date_time(double millis, const std::optional<std::string>& picture,
                             const std::optional<std::string>& timezone) {
  double offset_hours = 0, offset_minutes = 0;
  if (timezone) {
    double offset = std::strtod(timezone->c_str(), nullptr);
    offset = std::trunc(offset);
    offset_hours = std::floor(offset / 100);
    offset_minutes = std::fmod(offset, 100);
  }
  static const std::string kIso = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
  std::vector<Part> spec = analyse_picture(picture ? *picture : kIso);
  double t = millis + (60 * offset_hours + offset_minutes) * 60000;
  std::string out;
  for (const auto& part : spec) {
    if (part.literal) {
      out += part.value;
      continue;
    }
    char comp = part.component;
    Fragment f = fragment(t, comp);
    if (std::string("YMDdFWwXxHhms").find(comp) != std::string::npos) {
      double value = f.number;
      if (comp == 'Y' && part.n != -1) value = std::fmod(value, std::pow(10, part.n));
      if (part.names != Names::None) {
        std::string name;
        if (comp == 'M' || comp == 'x')
          name = kMonths[static_cast<int>(value) - 1];
        else if (comp == 'F')
          name = kDays[static_cast<int>(value)];
        else
          throw Failure("D3133").with_value(Value::string(std::string(1, comp)));
        name = case_names(name, part.names);
        if (part.width_max && static_cast<int>(name.size()) > *part.width_max)
          name = name.substr(0, *part.width_max);
        out += name;
      } else {
        out += format_integer(value, *part.integer);
      }
    } else if (comp == 'f') {
      out += format_integer(f.number, *part.integer);
    } else if (comp == 'Z' || comp == 'z') {
      double offset = offset_hours * 100 + offset_minutes;
      std::string text;
      if (part.integer->regular) {
        text = format_integer(offset, *part.integer);
      } else {
        int digits = part.integer->mandatory_digits;
        if (digits == 1 || digits == 2) {
          text = format_integer(offset_hours, *part.integer);
          if (offset_minutes != 0)
            text += ":" + format_integer(offset_minutes, analyse_integer_picture("00"));
        } else if (digits == 3 || digits == 4) {
          text = format_integer(offset, *part.integer);
        } else {
          throw Failure("D3134").with_value(Value::number(digits));
        }
      }
      if (offset >= 0) text = "+" + text;
      if (comp == 'z') text = "GMT" + text;
      if (offset == 0 && part.presentation2 == "t") text = "Z";
      out += text;
    } else if (comp == 'P') {
      out += part.names == Names::Upper ? case_names(f.text, Names::Upper) : f.text;
    } else {
      out += f.text;
    }
  }
  return out;
}

std::optional<double> parse_date_time(const std::string& text, const std::string& picture,
                                      double now) {
  std::vector<Part> spec = analyse_picture(picture);
  struct Matcher {
    std::string regex;
    char component = 0;
    std::function<std::optional<double>(const std::string&)> parse;
  };
  std::vector<Matcher> parts;
  for (auto& part : spec) {
    Matcher m;
    m.component = part.component;
    if (part.literal) {
      for (char c : part.value) {
        if (std::string(".*+?^${}()|[]\\").find(c) != std::string::npos) m.regex += '\\';
        m.regex += c;
      }
    } else if (part.component == 'Z' || part.component == 'z') {
      std::optional<std::string> separator;
      if (part.integer->regular) separator = from_u32(part.integer->separators[0].character);
      bool gmt = part.component == 'z';
      m.regex = std::string(gmt ? "GMT" : "") + "[-+][0-9]+";
      if (separator) m.regex += *separator + "[0-9]+";
      m.parse = [separator, gmt](const std::string& v) -> std::optional<double> {
        std::string value = gmt ? v.substr(3) : v;
        double hours = 0, minutes = 0;
        if (separator) {
          auto at = value.find(*separator);
          hours = std::strtod(value.substr(0, at).c_str(), nullptr);
          minutes = std::strtod(value.substr(at + separator->size()).c_str(), nullptr);
        } else if (value.size() - 1 <= 2) {
          hours = std::strtod(value.c_str(), nullptr);
        } else {
          hours = std::strtod(value.substr(0, 3).c_str(), nullptr);
          minutes = std::strtod(value.substr(3).c_str(), nullptr);
        }
        return hours * 60 + minutes;
      };
    } else if (part.component == 'f') {
      // fractional seconds: the digits are a decimal fraction of a second
      m.regex = "[0-9]+";
      m.parse = [](const std::string& v) -> std::optional<double> {
        return std::floor(std::strtod(("0." + v).c_str(), nullptr) * 1000);
      };
    } else if (part.integer) {
      IntegerPicture ip = *part.integer;
      m.regex = integer_regex(ip);
      m.parse = [ip](const std::string& v) -> std::optional<double> {
        return parse_integer_text(v, ip);
      };
    } else {
      m.regex = "[a-zA-Z]+";
      std::map<std::string, double> lookup;
      if (part.component == 'M' || part.component == 'x') {
        for (int i = 0; i < 12; ++i) {
          std::string name = kMonths[i];
          if (part.width_max) name = name.substr(0, static_cast<std::size_t>(*part.width_max));
          lookup[name] = i + 1;
        }
      } else if (part.component == 'F') {
        for (int i = 1; i < 8; ++i) {
          std::string name = kDays[i];
          if (part.width_max) name = name.substr(0, static_cast<std::size_t>(*part.width_max));
          lookup[name] = i;
        }
      } else if (part.component == 'P') {
        lookup = {{"am", 0}, {"AM", 0}, {"pm", 1}, {"PM", 1}};
      } else {
        throw Failure("D3133").with_value(Value::string(std::string(1, part.component)));
      }
      m.parse = [lookup](const std::string& v) -> std::optional<double> {
        auto it = lookup.find(v);
        if (it == lookup.end()) return std::nullopt;
        return it->second;
      };
    }
    parts.push_back(std::move(m));
  }
  std::string full = "^";
  for (const auto& p : parts) full += "(" + p.regex + ")";
  full += "$";
  Regex re(full, "i");
  auto match = re.exec(text, 0);
  if (!match) return std::nullopt;
  std::map<char, double> components;
  std::map<char, bool> present;  // the reference tests presence by truthiness
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].parse) continue;
    auto v = parts[i].parse(match->groups[i].value_or(""));
    char comp = parts[i].component;
    if (comp == 'P') {
      if (v) {
        components['P'] = *v;
        present['P'] = true;
      }
      continue;
    }
    if (v) {
      components[comp] = *v;
      present[comp] = *v != 0 && !std::isnan(*v);
    } else {
      present[comp] = false;
    }
  }
  if (components.empty() && present.empty()) return std::nullopt;
  auto has = [&](char c) { return present.count(c) && present[c]; };
  int mask = 0;
  auto shift = [&](bool bit) { mask = (mask << 1) + (bit ? 1 : 0); };
  auto is_type = [&](int type) { return !(~type & mask) && (type & mask); };
  for (char c : std::string("YXMxWwdD")) shift(has(c));
  bool dateA = is_type(161);
  bool dateB = !dateA && is_type(130);
  bool dateC = is_type(84);
  bool dateD = !dateC && is_type(72);
  mask = 0;
  for (char c : std::string("PHhmsf")) shift(has(c));
  bool timeA = is_type(23);
  bool timeB = !timeA && is_type(47);
  std::string comps = std::string(dateB   ? "YB"
                                  : dateC ? "XxwF"
                                  : dateD ? "XWF"
                                          : "YMD") +
                      (timeB ? "Phmsf" : "Hmsf");
  bool start_specified = false, end_specified = false;
  for (char part : comps) {
    if (!components.count(part)) {
      if (start_specified) {
        components[part] = std::string("MDd").find(part) != std::string::npos ? 1 : 0;
        end_specified = true;
      } else {
        Fragment f = fragment(now, part);
        components[part] = f.is_text ? (f.text == "pm" ? 1 : 0) : f.number;
      }
    } else {
      start_specified = true;
      if (end_specified) throw Failure("D3136");
    }
  }
  if (components['M'] > 0)
    components['M'] -= 1;
  else
    components['M'] = 0;
  if (dateB) {
    double first = date_utc(components['Y'], 0);
    Civil c = to_civil(first + (components['d'] - 1) * kDay);
    components['M'] = c.month;
    components['D'] = c.day;
  }
  if (dateC || dateD) throw Failure("D3136");
  if (timeB) {
    components['H'] = components['h'] == 12 ? 0 : components['h'];
    if (components['P'] == 1) components['H'] += 12;
  }
  double millis = date_utc(components['Y'], components['M'], components['D'], components['H'],
                           components['m'], components['s'], components['f']);
  double tz = components.count('Z') ? components['Z'] : components.count('z') ? components['z'] : 0;
  millis -= tz * 60000;
  return millis;
}

std::optional<double> parse_iso8601(const std::string& s) {
  // ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
  static const Regex shape(
      "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]"
      "\\d|Z)?$",
      "");
  if (!shape.exec(s, 0)) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) {
    return std::strtod(s.substr(at, len).c_str(), nullptr);
  };
  double y = num(0, 4), mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0, offset = 0;
  std::size_t p = 4;
  if (p < s.size() && s[p] == '-') {
    mo = num(p + 1, 2);
    p += 3;
  }
  if (p < s.size() && s[p] == '-') {
    d = num(p + 1, 2);
    p += 3;
  }
  if (p < s.size() && s[p] == 'T') {
    h = num(p + 1, 2);
    mi = num(p + 4, 2);
    sec = num(p + 7, 2);
    p += 9;
  }
  if (p < s.size() && s[p] == '.') {
    std::size_t q = p + 1;
    std::string frac;
    while (q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) frac += s[q++];
    frac = (frac + "000").substr(0, 3);
    ms = std::strtod(frac.c_str(), nullptr);
    p = q;
  }
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    double sign = s[p] == '-' ? -1 : 1;
    double oh = num(p + 1, 2);
    std::size_t q = p + 3;
    if (q < s.size() && s[q] == ':') ++q;
    double om = num(q, 2);
    offset = sign * (oh * 60 + om);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 59) return NAN;
  return date_utc(y, mo - 1, d, h, mi, sec, ms) - offset * 60000;
}

}  // namespace stepline::jsonata
