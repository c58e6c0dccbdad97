// The reference's processAST: turns the raw parse into steps, stages and resolved ancestors.
#include "query/jsonata/evaluator.hpp"
#include "query/jsonata/failure.hpp"
#include "query/jsonata/program.hpp"

namespace stepline::jsonata {

namespace {

class Processor {
 public:
  explicit Processor(Program& p) : program_(p) {}

  Node* process(Node* expr);

 private:
  Slot* seek_parent(Node* node, Slot* slot);
  void push_ancestry(Node* result, Node* value);
  void resolve_ancestry(Node* path);
  Node* tail_call_optimize(Node* expr);
  Node* as_path(Node* step) {
    Node* path = program_.make(NodeType::Path, step->position);
    path->items.push_back(step);
    return path;
  }

  Program& program_;
  int ancestor_label_ = 0;
  int ancestor_index_ = 0;
};

Slot* Processor::seek_parent(Node* node, Slot* slot) {
  switch (node->type) {
    case NodeType::Name:
    case NodeType::Wildcard:
      slot->level--;
      if (slot->level == 0) {
        if (node->ancestor == nullptr) {
          node->ancestor = slot;
        } else {
          program_.ancestry[slot->index]->slot->label = node->ancestor->label;
          node->ancestor = slot;
        }
        node->tuple = true;
      }
      break;
    case NodeType::Parent:
      slot->level++;
      break;
    case NodeType::Block:
      if (!node->items.empty()) {
        node->tuple = true;
        slot = seek_parent(node->items.back(), slot);
      }
      break;
    case NodeType::Path: {
      node->tuple = true;
      int index = static_cast<int>(node->items.size()) - 1;
      slot = seek_parent(node->items[index--], slot);
      while (slot->level > 0 && index >= 0) slot = seek_parent(node->items[index--], slot);
      break;
    }
    default:
      throw Failure("S0217", node->position).with_token("step");
  }
  return slot;
}

void Processor::push_ancestry(Node* result, Node* value) {
  if (value->seeking || value->type == NodeType::Parent) {
    std::vector<Slot*> slots = value->seeking_parent;
    if (value->type == NodeType::Parent) slots.push_back(value->slot);
    if (!result->seeking) {
      result->seeking = true;
      result->seeking_parent = slots;
    } else {
      result->seeking_parent.insert(result->seeking_parent.end(), slots.begin(), slots.end());
    }
  }
}

void Processor::resolve_ancestry(Node* path) {
  int index = static_cast<int>(path->items.size()) - 1;
  Node* laststep = path->items[index];
  std::vector<Slot*> slots = laststep->seeking_parent;
  if (laststep->type == NodeType::Parent) slots.push_back(laststep->slot);
  for (Slot* slot : slots) {
    index = static_cast<int>(path->items.size()) - 2;
    while (slot->level > 0) {
      if (index < 0) {
        path->seeking = true;
        path->seeking_parent.push_back(slot);
        break;
      }
      Node* step = path->items[index--];
      while (index >= 0 && !step->focus.empty() && !path->items[index]->focus.empty())
        step = path->items[index--];
      slot = seek_parent(step, slot);
    }
  }
}

Node* Processor::tail_call_optimize(Node* expr) {
  if (expr->type == NodeType::Function && expr->predicate.empty()) {
    Node* thunk = program_.make(NodeType::Lambda, expr->position);
    thunk->thunk = true;
    thunk->body = expr;
    return thunk;
  }
  if (expr->type == NodeType::Condition) {
    expr->then = tail_call_optimize(expr->then);
    if (expr->otherwise) expr->otherwise = tail_call_optimize(expr->otherwise);
    return expr;
  }
  if (expr->type == NodeType::Block) {
    if (!expr->items.empty()) expr->items.back() = tail_call_optimize(expr->items.back());
    return expr;
  }
  return expr;
}

Node* Processor::process(Node* expr) {
  Node* result = nullptr;
  switch (expr->type) {
    case NodeType::Binary: {
      if (expr->value == ".") {
        Node* lstep = process(expr->lhs);
        if (lstep->type == NodeType::Path) {
          result = lstep;
        } else {
          result = as_path(lstep);
        }
        if (lstep->type == NodeType::Parent) {
          result->seeking = true;
          result->seeking_parent = {lstep->slot};
        }
        Node* rest = process(expr->rhs);
        if (rest->type == NodeType::Path) {
          result->items.insert(result->items.end(), rest->items.begin(), rest->items.end());
        } else {
          if (!rest->predicate.empty()) {
            rest->stages = rest->predicate;
            rest->has_stages = true;
            rest->predicate.clear();
          }
          result->items.push_back(rest);
        }
        for (Node* step : result->items) {
          if (step->type == NodeType::Number || step->type == NodeType::Literal) {
            Failure f("S0213", step->position);
            if (step->type == NodeType::Number)
              f.with_value(Value::number(step->number));
            else
              f.with_value(step->literal);
            throw f;
          }
          if (step->type == NodeType::String) step->type = NodeType::Name;
        }
        for (Node* step : result->items)
          if (step->keep_array) result->keep_singleton_array = true;
        Node* first = result->items.front();
        if (first->type == NodeType::ArrayCons) first->cons_array = true;
        Node* last = result->items.back();
        if (last->type == NodeType::ArrayCons) last->cons_array = true;
        resolve_ancestry(result);
        break;
      }
      if (expr->value == "~>") {
        result = program_.make(NodeType::Apply, expr->position);
        result->value = expr->value;
        result->lhs = process(expr->lhs);
        result->rhs = process(expr->rhs);
        result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
        break;
      }
      result = program_.make(NodeType::Binary, expr->position);
      result->value = expr->value;
      result->lhs = process(expr->lhs);
      result->rhs = process(expr->rhs);
      push_ancestry(result, result->lhs);
      push_ancestry(result, result->rhs);
      break;
    }
    case NodeType::Predicate: {
      result = process(expr->lhs);
      Node* step = result;
      bool stages = false;
      if (result->type == NodeType::Path) {
        step = result->items.back();
        stages = true;
      }
      if (step->group) throw Failure("S0209", expr->position);
      Node* predicate = process(expr->rhs);
      if (predicate->seeking) {
        for (Slot* slot : predicate->seeking_parent) {
          if (slot->level == 1)
            seek_parent(step, slot);
          else
            slot->level--;
        }
        push_ancestry(step, predicate);
      }
      Stage stage;
      stage.expr = predicate;
      stage.position = expr->position;
      if (stages) {
        step->stages.push_back(stage);
        step->has_stages = true;
      } else {
        step->predicate.push_back(stage);
      }
      break;
    }
    case NodeType::GroupBy: {
      result = process(expr->lhs);
      if (result->group) throw Failure("S0210", expr->position);
      Group group;
      group.position = expr->position;
      for (auto& [k, v] : expr->pairs) group.pairs.emplace_back(process(k), process(v));
      result->group = std::move(group);
      break;
    }
    case NodeType::OrderBy: {
      result = process(expr->lhs);
      if (result->type != NodeType::Path) result = as_path(result);
      Node* sort = program_.make(NodeType::Sort, expr->position);
      for (const auto& term : expr->terms) {
        Node* e = process(term.expr);
        push_ancestry(sort, e);
        sort->terms.push_back({term.descending, e});
      }
      result->items.push_back(sort);
      resolve_ancestry(result);
      break;
    }
    case NodeType::Bind: {
      result = program_.make(NodeType::Bind, expr->position);
      result->lhs = process(expr->lhs);
      result->rhs = process(expr->rhs);
      push_ancestry(result, result->rhs);
      break;
    }
    case NodeType::FocusBind: {
      result = process(expr->lhs);
      Node* step = result;
      if (result->type == NodeType::Path) step = result->items.back();
      if (step->has_stages || !step->predicate.empty()) throw Failure("S0215", expr->position);
      if (step->type == NodeType::Sort) throw Failure("S0216", expr->position);
      if (expr->keep_array) step->keep_array = true;
      step->focus = expr->rhs->value;
      step->tuple = true;
      break;
    }
    case NodeType::IndexBind: {
      result = process(expr->lhs);
      Node* step = result;
      if (result->type == NodeType::Path) {
        step = result->items.back();
      } else {
        result = as_path(result);
        if (!step->predicate.empty()) {
          step->stages = step->predicate;
          step->has_stages = true;
          step->predicate.clear();
        }
      }
      if (!step->has_stages) {
        step->index_var = expr->rhs->value;
      } else {
        Stage stage;
        stage.is_index = true;
        stage.index_var = expr->rhs->value;
        stage.position = expr->position;
        step->stages.push_back(stage);
      }
      step->tuple = true;
      break;
    }
    case NodeType::Negate: {
      result = program_.make(NodeType::Negate, expr->position);
      result->value = "-";
      result->expression = process(expr->expression);
      if (result->expression->type == NodeType::Number) {
        result = result->expression;
        result->number = -result->number;
      } else {
        push_ancestry(result, result->expression);
      }
      break;
    }
    case NodeType::ArrayCons: {
      result = program_.make(NodeType::ArrayCons, expr->position);
      result->value = "[";
      for (Node* item : expr->items) {
        Node* v = process(item);
        push_ancestry(result, v);
        result->items.push_back(v);
      }
      break;
    }
    case NodeType::ObjectCons: {
      result = program_.make(NodeType::ObjectCons, expr->position);
      for (auto& [k, v] : expr->pairs) {
        Node* key = process(k);
        push_ancestry(result, key);
        Node* value = process(v);
        push_ancestry(result, value);
        result->pairs.emplace_back(key, value);
      }
      break;
    }
    case NodeType::Function:
    case NodeType::Partial: {
      result = program_.make(expr->type, expr->position);
      result->value = expr->value;
      for (Node* arg : expr->items) {
        Node* a = process(arg);
        push_ancestry(result, a);
        result->items.push_back(a);
      }
      result->procedure = process(expr->procedure);
      break;
    }
    case NodeType::Lambda: {
      result = program_.make(NodeType::Lambda, expr->position);
      result->params = expr->params;
      result->signature = expr->signature;
      result->body = tail_call_optimize(process(expr->body));
      break;
    }
    case NodeType::Condition: {
      result = program_.make(NodeType::Condition, expr->position);
      result->condition = process(expr->condition);
      push_ancestry(result, result->condition);
      result->then = process(expr->then);
      push_ancestry(result, result->then);
      if (expr->otherwise) {
        result->otherwise = process(expr->otherwise);
        push_ancestry(result, result->otherwise);
      }
      break;
    }
    case NodeType::Coalesce:
    case NodeType::Elvis: {
      result = program_.make(expr->type, expr->position);
      result->lhs = process(expr->lhs);
      push_ancestry(result, result->lhs);
      result->rhs = process(expr->rhs);
      push_ancestry(result, result->rhs);
      break;
    }
    case NodeType::Transform: {
      result = program_.make(NodeType::Transform, expr->position);
      result->pattern = process(expr->pattern);
      result->update = process(expr->update);
      if (expr->remove) result->remove = process(expr->remove);
      break;
    }
    case NodeType::Block: {
      result = program_.make(NodeType::Block, expr->position);
      for (Node* item : expr->items) {
        Node* part = process(item);
        push_ancestry(result, part);
        if (part->cons_array || (part->type == NodeType::Path && part->items.front()->cons_array))
          result->cons_array = true;
        result->items.push_back(part);
      }
      break;
    }
    case NodeType::Name: {
      result = as_path(expr);
      if (expr->keep_array) result->keep_singleton_array = true;
      break;
    }
    case NodeType::Parent: {
      result = program_.make(NodeType::Parent, expr->position);
      program_.slots.push_back(Slot{"!" + std::to_string(ancestor_label_++), 1, ancestor_index_++});
      result->slot = &program_.slots.back();
      program_.ancestry.push_back(result);
      break;
    }
    case NodeType::String:
    case NodeType::Number:
    case NodeType::Literal:
    case NodeType::Wildcard:
    case NodeType::Variable:
      expr->builtin = builtin_function(expr->value);
      result = expr;
      break;
    case NodeType::Descendant:
    case NodeType::Regex:
    case NodeType::Placeholder:
      result = expr;
      break;
    default:
      throw Failure(expr->type == NodeType::End ? "S0207" : "S0206", expr->position)
          .with_token(expr->value);
  }
  if (expr->keep_array) result->keep_array = true;
  return result;
}

}  // namespace

Node* process_ast(Program& program, Node* expr) {
  return Processor(program).process(expr);
}

}  // namespace stepline::jsonata
