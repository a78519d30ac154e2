// The ledger's rules, pure: a transfer moves a positive amount from one
// account to another and never changes; its hash chains it to the one
// before (hash = SHA-256(previous hash ‖ canonical bytes)); balances are
// credits minus debits and sum to zero. The hash function is passed in, so
// the core stays free of any crypto library.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.hpp"
#include "core/money.hpp"
#include "core/payment.hpp"
#include "core/time.hpp"

namespace essor::core {

// What a transfer is for. Its word (to_string) is part of the transfer's
// canonical bytes, so the words never change.
enum class TransferKind {
  pledge,        // a backer's gift or loan to a campaign
  refund,        // a pledge given back
  payout,        // a campaign's money to its organisation
  loan,          // a loan campaign's money to its organisation
  repayment_in,  // an installment paid back by the organisation
  repayment,     // an installment's share to a lender
  withdrawal,    // a wallet's money out to its owner
  reversal,      // a correction
  membership,    // dues paid to an organisation
  gift,          // a recurring gift's charge
  pool,          // a funder's envelope for a call
  match,         // a funder's match of a pledge
  match_return,  // a match given back to its funder
};
std::optional<TransferKind> parse_transfer_kind(std::string_view text);
std::string to_string(TransferKind kind);

struct Transfer {
  std::int64_t seq = 0;  // 1, 2, 3 … in the order of the chain
  std::string id;
  std::string debit_account;   // money leaves this account
  std::string credit_account;  // money arrives in this account
  Cents amount_cents = 0;
  TransferKind kind = TransferKind::pledge;
  std::optional<std::string> pledge_id;
  std::optional<CampaignId> campaign_id;
  TimestampMs created_at = 0;
  std::string prev_hash;
  std::string hash;
};

// 64 zeros: the hash "before" the first transfer.
extern const std::string kGenesisHash;

// One line per field, in a fixed order, so that any change to a stored
// field changes the bytes. Includes seq and prev_hash.
std::string canonical_bytes(const Transfer& transfer);

using Sha256Hex = std::function<std::string(const std::string&)>;
std::string chain_hash(const std::string& prev_hash, const Transfer& transfer,
                       const Sha256Hex& sha256);

// Checks a transfer before it is written: positive amount, two different
// accounts (its kind is a TransferKind, known by its type). Returns the problem, if any.
std::optional<std::string> check_transfer(const Transfer& transfer);

// Account names: "campaign:<id>", "org:<id>", "wallet:<wallet id>" (a
// person's money, under an opaque id that appears nowhere else in public),
// "wallet:<wallet id>:test" (what came back to them from test-card money:
// shown, never withdrawn), "external:<payment method>" (money from or to
// the outside world).
std::string campaign_account(const core::CampaignId& campaign_id);
std::string org_account(const core::OrgId& org_id);
std::string wallet_account(const std::string& wallet_id);
std::string test_wallet_account(const std::string& wallet_id);
std::string call_account(const std::string& call_id);  // a funder's pool (matchfunding)
std::string external_account(PaymentMethod method);
// "external:funder": where a funder's pool of matchfunding comes from.
std::string funder_source_account();

using Balances = std::map<std::string, Cents>;
void apply(Balances& balances, const Transfer& transfer);

struct ChainReport {
  std::vector<std::string> problems;  // empty when the chain checks out
  std::string head_hash = kGenesisHash;
  std::int64_t transfers_count = 0;
  Balances balances;
};

// Walks transfers in seq order: contiguous sequence numbers, each prev_hash
// equal to the hash before it, each hash recomputed, each transfer valid;
// balances summed. Feed it with add(), then finish().
class ChainVerifier {
 public:
  explicit ChainVerifier(Sha256Hex sha256) : sha256_(std::move(sha256)) {}
  void add(const Transfer& transfer);
  ChainReport finish(const std::string& stored_head_hash, std::int64_t stored_head_seq);

 private:
  Sha256Hex sha256_;
  ChainReport report_;
  static constexpr std::size_t kMaxProblems = 100;
  void problem(std::string text);
};

}  // namespace essor::core
