// The payment methods that need no outside party: the test card and the
// backer's own balance.
#include "adapters/payments/payments.hpp"

namespace essor::adapters {
namespace {

class SandboxCard final : public app::PaymentProvider {
 public:
  core::PaymentMethod method() const override { return core::PaymentMethod::sandbox_card; }
  bool confirms_at_once() const override { return true; }
  bool available_for(const app::OrgRecord&) const override { return true; }
  std::optional<app::TransferInstructions> instructions(const app::OrgRecord&, const std::string&,
                                                        core::Cents) const override {
    return std::nullopt;
  }
};

class Balance final : public app::PaymentProvider {
 public:
  core::PaymentMethod method() const override { return core::PaymentMethod::balance; }
  bool confirms_at_once() const override { return true; }
  bool available_for(const app::OrgRecord&) const override { return true; }
  std::optional<app::TransferInstructions> instructions(const app::OrgRecord&, const std::string&,
                                                        core::Cents) const override {
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<app::PaymentProvider> make_sandbox_card() {
  return std::make_unique<SandboxCard>();
}

std::unique_ptr<app::PaymentProvider> make_balance() {
  return std::make_unique<Balance>();
}

}  // namespace essor::adapters
