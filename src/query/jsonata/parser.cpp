// Pratt parser mirroring jsonata-js's parser.js (binding powers, nud/led behaviour, errors).
#include "query/jsonata/failure.hpp"
#include "query/jsonata/lexer.hpp"
#include "query/jsonata/program.hpp"
#include "query/jsonata/regex.hpp"

#include <map>

namespace stepline::jsonata {

namespace {

int binding_power(const std::string& id) {
  static const std::map<std::string, int> table = {
      {".", 75},  {"[", 80},  {"{", 70},  {"(", 80},   {"@", 80},  {"#", 80},  {"?", 20},
      {"+", 50},  {"-", 50},  {"*", 60},  {"/", 60},   {"%", 60},  {"=", 40},  {"<", 40},
      {">", 40},  {"^", 40},  {"!=", 40}, {"<=", 40},  {">=", 40}, {"~>", 40}, {"?:", 40},
      {"??", 40}, {"in", 40}, {"&", 50},  {"and", 30}, {"or", 25}, {":=", 10}};
  auto it = table.find(id);
  return it == table.end() ? 0 : it->second;
}

class Parser {
 public:
  Parser(std::string_view source, Program& program)
      : lexer_(source), program_(program), length_(static_cast<int>(source.size())) {}

  Node* parse() {
    advance();
    Node* expr = expression(0);
    if (id_ != "(end)") throw Failure("S0201", tok_.position).with_token(tok_.value);
    return expr;
  }

 private:
  void advance(const char* expected = nullptr, bool infix = false) {
    if (expected && id_ != expected) {
      Failure f(id_ == "(end)" ? "S0203" : "S0202", tok_.position);
      f.with_token(tok_.value);
      f.with_value(Value::string(expected));
      throw f;
    }
    tok_ = lexer_.next(infix);
    switch (tok_.type) {
      case TokenType::End:
        id_ = "(end)";
        tok_.position = length_;
        tok_.value = "(end)";
        break;
      case TokenType::Name:
      case TokenType::Variable:
        id_ = "(name)";
        break;
      case TokenType::Operator:
        if (tok_.value == "!" || tok_.value == "~")
          throw Failure("S0204", tok_.position).with_token(tok_.value);
        id_ = tok_.value;
        break;
      case TokenType::String:
      case TokenType::Number:
      case TokenType::Literal:
        id_ = "(literal)";
        break;
      case TokenType::Regex:
        id_ = "(regex)";
        break;
    }
  }

  Node* expression(int rbp) {
    // Deeply nested source would exhaust the C++ stack in this recursive-descent parser.
    struct Nesting {
      int& depth;
      explicit Nesting(int& d) : depth(d) {
        if (++depth > kMaxNesting) {
          Failure f("U1001");
          f.message = "Expression nesting too deep";
          throw f;
        }
      }
      ~Nesting() { --depth; }
    } nesting(nesting_);
    Token t = tok_;
    std::string tid = id_;
    advance(nullptr, true);
    Node* left = nud(t, tid);
    while (rbp < binding_power(id_)) {
      Token t2 = tok_;
      std::string id2 = id_;
      advance();
      left = led(t2, id2, left);
    }
    return left;
  }

  Node* make(NodeType type, const Token& t) {
    Node* n = program_.make(type, t.position);
    n->value = t.value;
    return n;
  }

  Node* nud(const Token& t, const std::string& id) {
    if (id == "(name)") {
      return make(t.type == TokenType::Variable ? NodeType::Variable : NodeType::Name, t);
    }
    if (id == "(literal)") {
      if (t.type == TokenType::String) {
        Node* n = make(NodeType::String, t);
        n->literal = Value::string(t.value);
        return n;
      }
      if (t.type == TokenType::Number) {
        Node* n = make(NodeType::Number, t);
        n->number = t.number;
        return n;
      }
      Node* n = make(NodeType::Literal, t);
      n->literal = t.literal;
      return n;
    }
    if (id == "(regex)") {
      Node* n = make(NodeType::Regex, t);
      n->regex_pattern = t.value;
      n->regex_flags = t.flags;
      n->regex = std::make_shared<Regex>(t.value, t.flags);
      return n;
    }
    if (id == "and" || id == "or" || id == "in") return make(NodeType::Name, t);
    if (id == "-") {
      Node* n = make(NodeType::Negate, t);
      n->expression = expression(70);
      return n;
    }
    if (id == "*") return make(NodeType::Wildcard, t);
    if (id == "**") return make(NodeType::Descendant, t);
    if (id == "%") return make(NodeType::Parent, t);
    if (id == "(") {
      Node* n = make(NodeType::Block, t);
      while (id_ != ")") {
        n->items.push_back(expression(0));
        if (id_ != ";") break;
        advance(";");
      }
      advance(")", true);
      return n;
    }
    if (id == "[") {
      Node* n = make(NodeType::ArrayCons, t);
      if (id_ != "]") {
        for (;;) {
          Node* item = expression(0);
          if (id_ == "..") {
            Node* range = program_.make(NodeType::Binary, tok_.position);
            range->value = "..";
            range->lhs = item;
            advance("..");
            range->rhs = expression(0);
            item = range;
          }
          n->items.push_back(item);
          if (id_ != ",") break;
          advance(",");
        }
      }
      advance("]", true);
      return n;
    }
    if (id == "{") {
      Node* n = make(NodeType::ObjectCons, t);
      parse_pairs(n);
      return n;
    }
    if (id == "|") {
      Node* n = make(NodeType::Transform, t);
      n->pattern = expression(0);
      advance("|");
      n->update = expression(0);
      if (id_ == ",") {
        advance(",");
        n->remove = expression(0);
      }
      advance("|");
      return n;
    }
    if (id == "(end)") return make(NodeType::End, t);
    throw Failure("S0211", t.position).with_token(t.value);
  }

  void parse_pairs(Node* n) {
    if (id_ != "}") {
      for (;;) {
        Node* key = expression(0);
        advance(":");
        Node* value = expression(0);
        n->pairs.emplace_back(key, value);
        if (id_ != ",") break;
        advance(",");
      }
    }
    advance("}", true);
  }

  Node* led(const Token& t, const std::string& id, Node* left) {
    if (id == "(") return parse_call(t, left);
    if (id == "[") {
      if (id_ == "]") {
        Node* step = left;
        while (step && step->type == NodeType::Predicate) step = step->lhs;
        step->keep_array = true;
        advance("]");
        return left;
      }
      Node* n = make(NodeType::Predicate, t);
      n->lhs = left;
      n->rhs = expression(0);
      advance("]", true);
      return n;
    }
    if (id == "^") {
      Node* n = make(NodeType::OrderBy, t);
      advance("(");
      for (;;) {
        SortTerm term;
        if (id_ == "<") {
          advance("<");
        } else if (id_ == ">") {
          term.descending = true;
          advance(">");
        }
        term.expr = expression(0);
        n->terms.push_back(term);
        if (id_ != ",") break;
        advance(",");
      }
      advance(")");
      n->lhs = left;
      return n;
    }
    if (id == "{") {
      Node* n = make(NodeType::GroupBy, t);
      n->lhs = left;
      parse_pairs(n);
      return n;
    }
    if (id == ":=") {
      if (left->type != NodeType::Variable)
        throw Failure("S0212", left->position).with_token(left->value);
      Node* n = make(NodeType::Bind, t);
      n->lhs = left;
      n->rhs = expression(binding_power(":=") - 1);
      return n;
    }
    if (id == "@" || id == "#") {
      Node* n = make(id == "@" ? NodeType::FocusBind : NodeType::IndexBind, t);
      n->lhs = left;
      n->rhs = expression(binding_power(id));
      if (n->rhs->type != NodeType::Variable)
        throw Failure("S0214", n->rhs->position).with_token(id);
      return n;
    }
    if (id == "?") {
      Node* n = make(NodeType::Condition, t);
      n->condition = left;
      n->then = expression(0);
      if (id_ == ":") {
        advance(":");
        n->otherwise = expression(0);
      }
      return n;
    }
    if (id == "?:" || id == "??") {
      Node* n = make(id == "?:" ? NodeType::Elvis : NodeType::Coalesce, t);
      n->lhs = left;
      n->rhs = expression(0);
      return n;
    }
    Node* n = make(NodeType::Binary, t);
    n->lhs = left;
    n->rhs = expression(binding_power(id));
    return n;
  }

  Node* parse_call(const Token& t, Node* left) {
    Node* n = make(NodeType::Function, t);
    n->procedure = left;
    if (id_ != ")") {
      for (;;) {
        if (tok_.type == TokenType::Operator && id_ == "?") {
          n->type = NodeType::Partial;
          n->items.push_back(make(NodeType::Placeholder, tok_));
          advance("?");
        } else {
          n->items.push_back(expression(0));
        }
        if (id_ != ",") break;
        advance(",");
      }
    }
    advance(")", true);
    if (left->type == NodeType::Name && (left->value == "function" || left->value == "\u03BB")) {
      for (std::size_t i = 0; i < n->items.size(); ++i) {
        Node* arg = n->items[i];
        if (arg->type != NodeType::Variable) {
          Failure f("S0208", arg->position);
          f.with_token(arg->value);
          f.with_value(Value::number(static_cast<double>(i + 1)));
          throw f;
        }
        n->params.push_back(arg->value);
      }
      n->type = NodeType::Lambda;
      if (id_ == "<") {
        int sig_pos = tok_.position;
        int depth = 1;
        std::string sig = "<";
        while (depth > 0 && id_ != "{" && id_ != "(end)") {
          advance();
          if (id_ == ">")
            --depth;
          else if (id_ == "<")
            ++depth;
          sig += tok_.value;
        }
        advance(">");
        try {
          n->signature = std::make_shared<Signature>(parse_signature(sig));
        } catch (Failure& f) {
          f.position = sig_pos + f.index;
          throw;
        }
      }
      advance("{");
      n->body = expression(0);
      advance("}");
    }
    return n;
  }

  static constexpr int kMaxNesting = 500;
  int nesting_ = 0;
  Lexer lexer_;
  Program& program_;
  int length_;
  Token tok_;
  std::string id_;
};

}  // namespace

void parse_program(std::string_view source, Program& program) {
  Parser parser(source, program);
  Node* raw = parser.parse();
  Node* expr = process_ast(program, raw);
  if (expr->type == NodeType::Parent || expr->seeking) {
    throw Failure("S0217", expr->position)
        .with_token(expr->type == NodeType::Parent ? "parent" : "path");
  }
  program.root = expr;
}

}  // namespace stepline::jsonata
