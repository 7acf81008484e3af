#include "vram/base/formula.hpp"

#include <algorithm>

#include "vram/base/format.hpp"

namespace vram {
namespace detail {

enum class Op : std::uint8_t { Leaf, Mul, Add, Minus, Div, CeilDiv, RoundUp, Max, Min, Scale, Named };

struct Node {
  Op op = Op::Leaf;
  std::uint64_t value = 0;
  bool bytes = false;   // the value is a byte count (binary units when shown)
  double ratio = 0;     // Scale: the fraction
  Message label;        // Leaf: the term's label; Scale: the fraction's label; Named: the name
  std::vector<std::shared_ptr<const Node>> kids;
};

}  // namespace detail

namespace {

using detail::Node;
using detail::Op;

bool g_explaining = true;  // on unless a scope turns it off (sweeps, inverse solves)

}  // namespace

bool explaining() noexcept { return g_explaining; }
ExplainScope::ExplainScope(bool on) noexcept : previous_(g_explaining) { g_explaining = on; }
ExplainScope::~ExplainScope() { g_explaining = previous_; }

struct QAccess {
  static Q make(std::uint64_t value, bool overflow, const Q* a, const Q* b) {
    Q q;
    q.value_ = value;
    q.overflow_ = overflow || (a && a->overflow_) || (b && b->overflow_);
    // Blame the operand whose user-written input is the largest: in 405B × seq 1M × batch 4096 the
    // sequence length, in a config whose head_dim is 10^6 the head_dim.
    const Q* blamed = nullptr;
    for (const Q* x : {a, b})
      if (x && !x->blame_.empty() && (!blamed || x->blame_value_ > blamed->blame_value_)) blamed = x;
    if (blamed) {
      q.blame_ = blamed->blame_;
      q.blame_value_ = blamed->blame_value_;
    }
    return q;
  }
  static void set_node(Q& q, std::shared_ptr<const Node> n) { q.node_ = std::move(n); }
  static void set_blame(Q& q, Field f, std::uint64_t v) {
    q.blame_ = f;
    q.blame_value_ = v;
  }
};

namespace {

std::shared_ptr<const Node> leaf_of(const Q& q) {
  if (q.node()) return q.node();
  auto n = std::make_shared<Node>();
  n->value = q.value();
  return n;
}

// An n-ary node; children of the same associative op are spliced in (a × b × c is one product).
std::shared_ptr<const Node> nary(Op op, std::uint64_t value, std::initializer_list<const Q*> qs) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->value = value;
  for (const Q* q : qs) {
    auto k = leaf_of(*q);
    if ((op == Op::Mul || op == Op::Add) && k->op == op) {
      n->kids.insert(n->kids.end(), k->kids.begin(), k->kids.end());
    } else {
      n->kids.push_back(std::move(k));
    }
  }
  return n;
}

Q with_node(Q q, Op op, std::initializer_list<const Q*> kids) {
  if (explaining()) QAccess::set_node(q, nary(op, q.value(), kids));
  return q;
}

// Checked a × b and a + b against kQuantityLimit (saturating, with the overflow flag set).
std::uint64_t checked_mul(bool& overflow, std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > kQuantityLimit) {
    overflow = true;
    return kQuantityLimit;
  }
  return r;
}
std::uint64_t checked_add(bool& overflow, std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r) || r > kQuantityLimit) {
    overflow = true;
    return kQuantityLimit;
  }
  return r;
}

}  // namespace

Q Q::of(std::uint64_t value, Message label) {
  Q q;
  q.overflow_ = value > kQuantityLimit;
  q.value_ = std::min(value, kQuantityLimit);
  if (explaining()) {
    auto n = std::make_shared<Node>();
    n->value = q.value_;
    n->label = std::move(label);
    q.node_ = std::move(n);
  }
  return q;
}

Q Q::input(std::uint64_t value, Message label, Field field) {
  Q q = of(value, std::move(label));
  q.blame_ = field;
  q.blame_value_ = value;
  return q;
}

Q Q::bytes(std::uint64_t value, Message label) {
  Q q = of(value, std::move(label));
  if (q.node_) std::const_pointer_cast<Node>(q.node_)->bytes = true;
  return q;
}

Q Q::named(Message label) const {
  Q q = *this;
  if (explaining()) {
    auto n = std::make_shared<Node>();
    n->op = Op::Named;
    n->value = value_;
    n->label = std::move(label);
    n->bytes = node_ && node_->bytes;
    n->kids.push_back(leaf_of(*this));
    q.node_ = std::move(n);
  }
  return q;
}

Q Q::as_bytes() const {
  Q q = *this;
  if (node_ && !node_->bytes) {
    auto n = std::make_shared<Node>(*node_);
    n->bytes = true;
    q.node_ = std::move(n);
  }
  return q;
}

Q operator*(const Q& a, const Q& b) {
  bool overflow = false;
  const std::uint64_t v = checked_mul(overflow, a.value(), b.value());
  return with_node(QAccess::make(v, overflow, &a, &b), Op::Mul, {&a, &b});
}

Q operator+(const Q& a, const Q& b) {
  bool overflow = false;
  const std::uint64_t v = checked_add(overflow, a.value(), b.value());
  return with_node(QAccess::make(v, overflow, &a, &b), Op::Add, {&a, &b});
}

Q minus(const Q& a, const Q& b) {
  const std::uint64_t v = a.value() > b.value() ? a.value() - b.value() : 0;
  return with_node(QAccess::make(v, false, &a, &b), Op::Minus, {&a, &b});
}

Q div(const Q& a, const Q& b) {
  const std::uint64_t v = b.value() ? a.value() / b.value() : 0;
  return with_node(QAccess::make(v, false, &a, &b), Op::Div, {&a, &b});
}

Q ceil_div(const Q& a, const Q& b) {
  const std::uint64_t v = b.value() ? a.value() / b.value() + (a.value() % b.value() != 0) : 0;
  return with_node(QAccess::make(v, false, &a, &b), Op::CeilDiv, {&a, &b});
}

Q round_up(const Q& a, const Q& b) {
  bool overflow = false;
  std::uint64_t v = 0;
  if (b.value()) {
    const std::uint64_t blocks = a.value() / b.value() + (a.value() % b.value() != 0);
    v = checked_mul(overflow, blocks, b.value());
  }
  return with_node(QAccess::make(v, overflow, &a, &b), Op::RoundUp, {&a, &b});
}

namespace {

template <class It>
Q extreme(It first, It last, bool want_max) {
  if (first == last) return Q::of(0);
  const Q* best = &*first;
  for (It it = first; it != last; ++it)
    if (want_max ? it->value() > best->value() : it->value() < best->value()) best = &*it;
  Q q = *best;
  for (It it = first; it != last; ++it) q = QAccess::make(best->value(), false, &q, &*it);
  if (explaining()) {
    auto n = std::make_shared<Node>();
    n->op = want_max ? Op::Max : Op::Min;
    n->value = best->value();
    n->bytes = best->node() && best->node()->bytes;
    for (It it = first; it != last; ++it) n->kids.push_back(leaf_of(*it));
    QAccess::set_node(q, std::move(n));
  }
  return q;
}

}  // namespace

Q max(std::initializer_list<Q> qs) { return extreme(qs.begin(), qs.end(), true); }
Q min(std::initializer_list<Q> qs) { return extreme(qs.begin(), qs.end(), false); }
Q max(const std::vector<Q>& qs) { return extreme(qs.begin(), qs.end(), true); }

Q scale(const Q& a, double ratio, Message label, Field field) {
  bool overflow = !(ratio >= 0) || ratio > 1e6;
  const double r = overflow ? 0.0 : ratio;
  const double product = static_cast<double>(a.value()) * r;
  std::uint64_t v = 0;
  if (product >= static_cast<double>(kQuantityLimit)) {
    overflow = true;
    v = kQuantityLimit;
  } else {
    v = static_cast<std::uint64_t>(product);
  }
  Q q = QAccess::make(v, overflow, &a, nullptr);
  if (!field.empty() && q.blame().empty()) QAccess::set_blame(q, field, 0);
  if (explaining()) {
    auto n = std::make_shared<Node>();
    n->op = Op::Scale;
    n->value = v;
    n->ratio = r;
    n->label = std::move(label);
    n->bytes = a.node() && a.node()->bytes;
    n->kids.push_back(leaf_of(a));
    QAccess::set_node(q, std::move(n));
  }
  return q;
}

Q sum(const std::vector<Q>& qs) {
  if (qs.empty()) return Q::of(0);
  Q total = qs.front();
  for (std::size_t i = 1; i < qs.size(); ++i) total = total + qs[i];
  return total;
}

namespace {

struct Renderer {
  const Catalog& catalog;
  Spelling spelling;

  std::string value(const Node& n) const { return n.bytes ? format_bytes(n.value) : format_count(n.value); }
  std::string label(const Message& m) const { return render(m, catalog, spelling); }

  static bool loose(const Node& n) { return n.op == Op::Add || n.op == Op::Minus; }

  std::string operand(const Node& n, bool tight) const {
    std::string s = node(n);
    return tight && (loose(n) || n.op == Op::Div) ? "(" + s + ")" : s;
  }

  std::string join(const Node& n, std::string_view sep, bool tight) const {
    std::string s;
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      if (i) s += sep;
      s += operand(*n.kids[i], tight);
    }
    return s;
  }

  std::string node(const Node& n) const {
    switch (n.op) {
      case Op::Leaf: {
        std::string s = value(n);
        if (!n.label.empty()) {
          const std::string l = label(n.label);
          if (!l.empty()) s += " " + l;
        }
        return s;
      }
      case Op::Mul: return join(n, " × ", true);
      case Op::Add: return join(n, " + ", false);
      case Op::Minus: {
        const std::string s = operand(*n.kids[0], false) + " − " + operand(*n.kids[1], true);
        return n.kids[0]->value < n.kids[1]->value ? "max(0, " + s + ")" : s;
      }
      case Op::Div: return operand(*n.kids[0], true) + " ÷ " + operand(*n.kids[1], true);
      case Op::CeilDiv: return "⌈" + operand(*n.kids[0], true) + " ÷ " + operand(*n.kids[1], true) + "⌉";
      case Op::RoundUp: {
        const std::string b = operand(*n.kids[1], true);
        return "⌈" + operand(*n.kids[0], true) + " ÷ " + b + "⌉ × " + b;
      }
      case Op::Max:
      case Op::Min: return std::string(n.op == Op::Max ? "max(" : "min(") + join(n, ", ", false) + ")";
      case Op::Scale: {
        std::string s = operand(*n.kids[0], true) + " × " + format_number(n.ratio);
        const std::string l = label(n.label);
        if (!l.empty()) s += " " + l;
        return s;
      }
      case Op::Named: return label(n.label) + " (" + node(*n.kids[0]) + " = " + value(n) + ")";
    }
    return value(n);
  }
};

}  // namespace

Explanation explain(const Q& q, const Catalog& catalog, Spelling spelling) {
  Explanation e;
  if (!q.node()) {
    e.formula = format_count(q.value());
    return e;
  }
  const Node& n = *q.node();
  const Renderer r{catalog, spelling};
  e.formula = r.node(n);
  if (n.op != Op::Leaf && n.op != Op::Named) e.result = r.value(n);
  return e;
}

}  // namespace vram
