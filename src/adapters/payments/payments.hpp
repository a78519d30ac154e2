// The payment providers behind app::PaymentProvider.
//
// sandbox_card: a test provider that confirms at once and moves no real
// money; on by default in the demo and the tests, labelled as a test payment
// wherever it appears, turned off with ESSOR_SANDBOX_CARD=off.
//
// bank_transfer: the organisation's IBAN and BIC, the pledge's unique
// reference and a SEPA credit transfer QR code (EPC069-12); the pledge stays
// pending until the treasurer sees the money arrive and confirms it.
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

std::unique_ptr<app::PaymentProvider> make_sandbox_card();
// The backer's own balance of repaid loans ("balance"): confirmed at once;
// the use case checks the balance and debits user:<id> on the ledger.
std::unique_ptr<app::PaymentProvider> make_balance();
// qr must outlive the provider.
std::unique_ptr<app::PaymentProvider> make_bank_transfer(const app::QrEncoder& qr);

}  // namespace essor::adapters
