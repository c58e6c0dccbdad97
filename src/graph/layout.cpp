#include "graph/layout.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>

namespace stepline::graph {

namespace {

constexpr double kPaddingX = 14;         // inside a state box, around its text
constexpr double kNodeGap = 36;          // between neighbours of one rank
constexpr double kRankGap = 58;          // between ranks: room for an edge label
constexpr double kMargin = 16;           // around a scope's content
constexpr double kContainerHeader = 44;  // name and type of a Parallel/Map box
constexpr double kBranchGap = 18;
constexpr double kScopeTitle = 20;  // "Branch 1" above a branch
constexpr double kLoopLane = 18;    // distance between loop edges on the right
constexpr double kDummyWidth = 8;

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

struct Item {     // a node of the scope or a placeholder of a long edge
  int node = -1;  // index in scope.nodes, -1 for a placeholder
  int rank = 0;
  double order = 0;
  double x = 0, width = 0, height = 0;
};

class ScopeLayouter {
 public:
  explicit ScopeLayouter(const Scope& scope) : scope_(scope) {}

  ScopeLayout run() {
    ScopeLayout out;
    out.scope = &scope_;
    for (const auto& node : scope_.nodes) out.nodes.push_back(size_node(node));
    index_nodes();
    find_back_edges();
    assign_ranks();
    add_placeholders();
    order_ranks();
    place(out);
    route(out);
    return out;
  }

 private:
  NodeLayout size_node(const Node& node) {
    NodeLayout layout;
    layout.node = &node;
    if (node.is_marker()) {
      layout.width = 64;
      layout.height = 28;
      return layout;
    }
    const double name_width = text_width(shorten(node.name, kMaxLabelChars), kNameFontSize);
    const double detail_width = text_width(shorten(node.detail, kMaxLabelChars), kDetailFontSize);
    layout.width = std::max(96.0, std::max(name_width, detail_width) + 2 * kPaddingX);
    layout.height = node.detail.empty() ? 34 : 48;
    if (node.children.empty()) return layout;

    double x = kMargin;
    double tallest = 0;
    for (const auto& child : node.children) {
      ScopeLayout inner = ScopeLayouter(child).run();
      inner.x = x;
      inner.y = kContainerHeader + kScopeTitle;
      x += inner.width + kBranchGap;
      tallest = std::max(tallest, inner.height);
      layout.children.push_back(std::move(inner));
    }
    layout.width = std::max(layout.width, x - kBranchGap + kMargin);
    layout.height = kContainerHeader + kScopeTitle + tallest + kMargin;
    // Centre the branches when the name is wider than they are.
    const double spare = layout.width - (x - kBranchGap + kMargin);
    for (auto& child : layout.children) child.x += spare / 2;
    return layout;
  }

  void index_nodes() {
    for (std::size_t i = 0; i < scope_.nodes.size(); ++i)
      index_[scope_.nodes[i].id] = static_cast<int>(i);
    out_edges_.assign(scope_.nodes.size(), {});
    for (std::size_t e = 0; e < scope_.edges.size(); ++e) {
      const auto from = index_.find(scope_.edges[e].from);
      const auto to = index_.find(scope_.edges[e].to);
      if (from == index_.end() || to == index_.end()) continue;
      out_edges_[from->second].push_back(static_cast<int>(e));
    }
  }

  int from_of(int edge) const { return index_.at(scope_.edges[edge].from); }
  int to_of(int edge) const { return index_.at(scope_.edges[edge].to); }

  // Depth-first from Start (then from anything unreached): an edge into a node still on the
  // stack closes a loop and is drawn upwards.
  void find_back_edges() {
    const std::size_t n = scope_.nodes.size();
    std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
    back_.assign(scope_.edges.size(), false);
    for (std::size_t root = 0; root < n; ++root) {
      if (state[root]) continue;
      std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
      state[root] = 1;
      discovery_.push_back(static_cast<int>(root));
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next == out_edges_[node].size()) {
          state[node] = 2;
          stack.pop_back();
          continue;
        }
        const int edge = out_edges_[node][next++];
        const int target = to_of(edge);
        if (state[target] == 1) {
          back_[edge] = true;
        } else if (state[target] == 0) {
          state[target] = 1;
          discovery_.push_back(target);
          stack.push_back({target, 0});
        }
      }
    }
  }

  void assign_ranks() {
    const std::size_t n = scope_.nodes.size();
    std::vector<int> indegree(n, 0);
    for (std::size_t e = 0; e < scope_.edges.size(); ++e)
      if (index_.contains(scope_.edges[e].from) && index_.contains(scope_.edges[e].to) &&
          !back_[e] && from_of(static_cast<int>(e)) != to_of(static_cast<int>(e)))
        ++indegree[to_of(static_cast<int>(e))];
    rank_.assign(n, 0);
    std::vector<int> ready;
    for (std::size_t i = 0; i < n; ++i)
      if (!indegree[i]) ready.push_back(static_cast<int>(i));
    while (!ready.empty()) {
      const int node = ready.back();
      ready.pop_back();
      for (const int edge : out_edges_[node]) {
        const int target = to_of(edge);
        if (back_[edge] || target == node) continue;
        rank_[target] = std::max(rank_[target], rank_[node] + 1);
        if (--indegree[target] == 0) ready.push_back(target);
      }
    }
    // Start on top and End at the bottom, whatever else the ranks say.
    int deepest = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (scope_.nodes[i].type != "End") deepest = std::max(deepest, rank_[i]);
    for (std::size_t i = 0; i < n; ++i)
      if (scope_.nodes[i].type == "End") rank_[i] = deepest + 1;
    ranks_ = *std::max_element(rank_.begin(), rank_.end()) + 1;
  }

  // Every forward edge spanning several ranks gets one placeholder per rank it crosses, so that
  // ordering keeps it out of the nodes' way.
  void add_placeholders() {
    const std::vector<int> order_seen = discovery_;
    for (const int node : order_seen) {
      Item item;
      item.node = node;
      item.rank = rank_[node];
      items_.push_back(item);
      item_of_node_[node] = static_cast<int>(items_.size()) - 1;
    }
    chain_.assign(scope_.edges.size(), {});
    for (std::size_t e = 0; e < scope_.edges.size(); ++e) {
      if (!index_.contains(scope_.edges[e].from) || !index_.contains(scope_.edges[e].to)) continue;
      const int from = from_of(static_cast<int>(e));
      const int to = to_of(static_cast<int>(e));
      std::vector<int>& chain = chain_[e];
      chain.push_back(item_of_node_[from]);
      if (!back_[e]) {
        for (int rank = rank_[from] + 1; rank < rank_[to]; ++rank) {
          Item dummy;
          dummy.rank = rank;
          dummy.width = kDummyWidth;
          items_.push_back(dummy);
          chain.push_back(static_cast<int>(items_.size()) - 1);
        }
      }
      chain.push_back(item_of_node_[to]);
    }
  }

  void order_ranks() {
    rows_.assign(ranks_, {});
    for (std::size_t i = 0; i < items_.size(); ++i)
      rows_[items_[i].rank].push_back(static_cast<int>(i));
    for (auto& row : rows_)
      for (std::size_t k = 0; k < row.size(); ++k) items_[row[k]].order = static_cast<double>(k);
    // Neighbours through the forward segments of every edge chain.
    std::vector<std::vector<int>> up(items_.size()), down(items_.size());
    for (std::size_t e = 0; e < chain_.size(); ++e) {
      if (back_[e]) continue;
      for (std::size_t k = 1; k < chain_[e].size(); ++k) {
        down[chain_[e][k - 1]].push_back(chain_[e][k]);
        up[chain_[e][k]].push_back(chain_[e][k - 1]);
      }
    }
    auto sweep = [&](int rank, const std::vector<std::vector<int>>& neighbours) {
      auto& row = rows_[rank];
      std::vector<std::pair<double, int>> keyed;
      for (const int item : row) {
        const auto& adjacent = neighbours[item];
        double key = items_[item].order;
        if (!adjacent.empty()) {
          key = 0;
          for (const int other : adjacent) key += items_[other].order;
          key /= static_cast<double>(adjacent.size());
        }
        keyed.push_back({key, item});
      }
      std::stable_sort(keyed.begin(), keyed.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t k = 0; k < keyed.size(); ++k) {
        row[k] = keyed[k].second;
        items_[row[k]].order = static_cast<double>(k);
      }
    };
    for (int pass = 0; pass < 4; ++pass) {
      for (int rank = 1; rank < ranks_; ++rank) sweep(rank, up);
      for (int rank = ranks_ - 2; rank >= 0; --rank) sweep(rank, down);
    }
    up_ = std::move(up);
  }

  void place(ScopeLayout& out) {
    for (auto& item : items_) {
      if (item.node < 0) continue;
      item.width = out.nodes[item.node].width;
      item.height = out.nodes[item.node].height;
    }
    row_top_.assign(ranks_, 0);
    row_height_.assign(ranks_, 0);
    double y = kMargin;
    for (int rank = 0; rank < ranks_; ++rank) {
      for (const int item : rows_[rank])
        row_height_[rank] = std::max(row_height_[rank], items_[item].height);
      row_top_[rank] = y;
      y += row_height_[rank] + kRankGap;
    }
    // Each rank is pulled under the centres of what leads into it, then pushed apart.
    for (int rank = 0; rank < ranks_; ++rank) {
      auto& row = rows_[rank];
      std::vector<double> desired;
      double left = 0;
      for (const int item : row) {
        double centre = left + items_[item].width / 2;
        if (!up_[item].empty() && rank > 0) {
          centre = 0;
          for (const int other : up_[item]) centre += items_[other].x + items_[other].width / 2;
          centre /= static_cast<double>(up_[item].size());
        }
        desired.push_back(centre);
        left += items_[item].width + kNodeGap;
      }
      double right = -1e18;
      double drift = 0;
      for (std::size_t k = 0; k < row.size(); ++k) {
        Item& item = items_[row[k]];
        item.x = std::max(desired[k] - item.width / 2, right + kNodeGap);
        right = item.x + item.width;
        drift += item.x + item.width / 2 - desired[k];
      }
      if (!row.empty()) {
        drift /= static_cast<double>(row.size());
        for (const int item : row) items_[item].x -= drift;
      }
    }
    double min_x = 1e18, max_x = -1e18;
    for (const auto& item : items_) {
      min_x = std::min(min_x, item.x);
      max_x = std::max(max_x, item.x + item.width);
    }
    for (auto& item : items_) item.x += kMargin - min_x;
    content_right_ = max_x - min_x + kMargin;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const Item& item = items_[i];
      if (item.node < 0) continue;
      NodeLayout& node = out.nodes[item.node];
      node.x = item.x;
      node.y = row_top_[item.rank] + (row_height_[item.rank] - node.height) / 2;
    }
    out.width = content_right_ + kMargin;
    out.height = y - kRankGap + kMargin;
  }

  void route(ScopeLayout& out) {
    int loops = 0;
    for (std::size_t e = 0; e < scope_.edges.size(); ++e) {
      if (chain_[e].empty()) continue;
      EdgeLayout edge;
      edge.edge = &scope_.edges[e];
      const NodeLayout& from = out.nodes[items_[chain_[e].front()].node];
      const NodeLayout& to = out.nodes[items_[chain_[e].back()].node];
      if (back_[e] || &from == &to) {
        // Down out of the source, up a lane right of everything, down into the target's top:
        // only the gaps between ranks are crossed, never a node. One lane per loop.
        edge.loops_back = true;
        ++loops;
        const double lane = content_right_ + kLoopLane * static_cast<double>(loops);
        const double step = 8 + 4 * static_cast<double>(loops % 4);
        const double below = from.y + from.height + step;
        const double above = to.y - step;
        const double out_x = from.x + from.width * 0.75;
        const double in_x = to.x + to.width * 0.75;
        edge.points = {{out_x, from.y + from.height},
                       {out_x, below},
                       {lane, below},
                       {lane, above},
                       {in_x, above},
                       {in_x, to.y}};
        edge.label_at = {lane + 4, (below + above) / 2};
      } else {
        edge.points.push_back({from.x + from.width / 2, from.y + from.height});
        for (std::size_t k = 1; k + 1 < chain_[e].size(); ++k) {
          const Item& dummy = items_[chain_[e][k]];
          const double centre = dummy.x + dummy.width / 2;
          edge.points.push_back({centre, row_top_[dummy.rank]});
          edge.points.push_back({centre, row_top_[dummy.rank] + row_height_[dummy.rank]});
        }
        edge.points.push_back({to.x + to.width / 2, to.y});
        const Point& a = edge.points[0];
        const Point& b = edge.points[1];
        edge.label_at = {a.x + (b.x - a.x) * 0.45 + 4, a.y + (b.y - a.y) * 0.45 + 4};
      }
      out.edges.push_back(std::move(edge));
    }
    out.width += kLoopLane * loops;
  }

  const Scope& scope_;
  std::map<std::string, int, std::less<>> index_;
  std::vector<std::vector<int>> out_edges_;
  std::vector<bool> back_;
  std::vector<int> discovery_;
  std::vector<int> rank_;
  int ranks_ = 1;
  std::vector<Item> items_;
  std::map<int, int> item_of_node_;
  std::vector<std::vector<int>> chain_;  // per edge: item indices from source to target
  std::vector<std::vector<int>> rows_;
  std::vector<std::vector<int>> up_;
  std::vector<double> row_top_, row_height_;
  double content_right_ = 0;
};

}  // namespace

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(code_points(text)) * font_size * 0.58;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  if (code_points(text) <= max_chars) return std::string(text);
  std::string out;
  std::size_t kept = 0;
  for (const char c : text) {
    if ((c & 0xC0) != 0x80 && ++kept > max_chars - 1) break;
    out.push_back(c);
  }
  return out + "\u2026";
}

ScopeLayout layout_graph(const Graph& graph) {
  return ScopeLayouter(graph.root).run();
}

}  // namespace stepline::graph
