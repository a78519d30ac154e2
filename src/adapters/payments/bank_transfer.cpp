#include "adapters/payments/payments.hpp"
#include "core/epc_qr.hpp"

namespace essor::adapters {
namespace {

class BankTransfer final : public app::PaymentProvider {
 public:
  explicit BankTransfer(const app::QrEncoder& qr) : qr_(qr) {}

  core::PaymentMethod method() const override { return core::PaymentMethod::bank_transfer; }
  bool confirms_at_once() const override { return false; }
  bool available_for(const app::OrgRecord& org) const override { return org.iban.has_value(); }

  std::optional<app::TransferInstructions> instructions(const app::OrgRecord& org,
                                                        const std::string& reference,
                                                        core::Cents amount_cents) const override {
    if (!org.iban) return std::nullopt;
    app::TransferInstructions out{*org.iban, org.bic.value_or(""), org.name,
                                  reference, amount_cents,         ""};
    if (const auto payload =
            core::epc_payload({out.bic, out.beneficiary, out.iban, amount_cents, reference})) {
      out.epc_qr_svg = qr_.svg(*payload).value_or("");
    }
    return out;
  }

 private:
  const app::QrEncoder& qr_;
};

}  // namespace

std::unique_ptr<app::PaymentProvider> make_bank_transfer(const app::QrEncoder& qr) {
  return std::make_unique<BankTransfer>(qr);
}

}  // namespace essor::adapters
