#include "core/ledger.hpp"

#include "core/words.hpp"

namespace essor::core {

const std::string kGenesisHash(64, '0');

std::string canonical_bytes(const Transfer& t) {
  std::string out = "essor-transfer-v1\n";
  auto line = [&out](const std::string& value) {
    out += value;
    out += '\n';
  };
  line(std::to_string(t.seq));
  line(t.id);
  line(t.debit_account);
  line(t.credit_account);
  line(std::to_string(t.amount_cents));
  line(to_string(t.kind));
  line(t.pledge_id.value_or("-"));
  line(t.campaign_id ? t.campaign_id->str() : std::string("-"));
  line(std::to_string(t.created_at));
  return out;
}

std::string chain_hash(const std::string& prev_hash, const Transfer& transfer,
                       const Sha256Hex& sha256) {
  return sha256(prev_hash + canonical_bytes(transfer));
}

std::string to_string(TransferKind kind) {
  switch (kind) {
    case TransferKind::pledge:
      return "pledge";
    case TransferKind::refund:
      return "refund";
    case TransferKind::payout:
      return "payout";
    case TransferKind::loan:
      return "loan";
    case TransferKind::repayment_in:
      return "repayment_in";
    case TransferKind::repayment:
      return "repayment";
    case TransferKind::withdrawal:
      return "withdrawal";
    case TransferKind::reversal:
      return "reversal";
    case TransferKind::membership:
      return "membership";
    case TransferKind::gift:
      return "gift";
    case TransferKind::pool:
      return "pool";
    case TransferKind::match:
      return "match";
    case TransferKind::match_return:
      return "match_return";
  }
  return "pledge";
}

std::optional<TransferKind> parse_transfer_kind(std::string_view text) {
  return parse_word(
      text, {TransferKind::pledge, TransferKind::refund, TransferKind::payout, TransferKind::loan,
             TransferKind::repayment_in, TransferKind::repayment, TransferKind::withdrawal,
             TransferKind::reversal, TransferKind::membership, TransferKind::gift,
             TransferKind::pool, TransferKind::match, TransferKind::match_return});
}

std::optional<std::string> check_transfer(const Transfer& t) {
  if (t.amount_cents <= 0) return "amount must be positive";
  if (t.debit_account.empty() || t.credit_account.empty()) return "accounts are required";
  if (t.debit_account == t.credit_account) return "debit and credit accounts must differ";
  return std::nullopt;
}

std::string campaign_account(const CampaignId& id) {
  return "campaign:" + id;
}
std::string org_account(const OrgId& id) {
  return "org:" + id;
}
std::string wallet_account(const std::string& id) {
  return "wallet:" + id;
}
std::string test_wallet_account(const std::string& id) {
  return "wallet:" + id + ":test";
}
std::string call_account(const std::string& id) {
  return "call:" + id;
}
std::string external_account(PaymentMethod method) {
  return "external:" + to_string(method);
}
std::string funder_source_account() {
  return "external:funder";
}

void apply(Balances& balances, const Transfer& transfer) {
  balances[transfer.debit_account] -= transfer.amount_cents;
  balances[transfer.credit_account] += transfer.amount_cents;
}

void ChainVerifier::problem(std::string text) {
  if (report_.problems.size() < kMaxProblems) report_.problems.push_back(std::move(text));
}

void ChainVerifier::add(const Transfer& transfer) {
  const std::string where = "transfer #" + std::to_string(transfer.seq) + " (" + transfer.id + ")";
  if (transfer.seq != report_.transfers_count + 1) {
    problem(where + ": expected sequence number " + std::to_string(report_.transfers_count + 1));
  }
  if (transfer.prev_hash != report_.head_hash) {
    problem(where + ": does not follow the transfer before it (previous hash differs)");
  }
  if (chain_hash(transfer.prev_hash, transfer, sha256_) != transfer.hash) {
    problem(where + ": its content does not match its hash (altered)");
  }
  if (auto bad = check_transfer(transfer)) problem(where + ": " + *bad);
  apply(report_.balances, transfer);
  report_.head_hash = transfer.hash;
  report_.transfers_count = transfer.seq;
}

ChainReport ChainVerifier::finish(const std::string& stored_head_hash,
                                  std::int64_t stored_head_seq) {
  if (stored_head_seq != report_.transfers_count || stored_head_hash != report_.head_hash) {
    problem("the ledger head (#" + std::to_string(stored_head_seq) +
            ") does not match the last transfer (#" + std::to_string(report_.transfers_count) +
            ")");
  }
  Cents total = 0;
  for (const auto& [account, balance] : report_.balances) {
    total += balance;
    if (balance < 0 && !account.starts_with("external:")) {
      problem("account " + account + " is negative (" + std::to_string(balance) + " cents)");
    }
  }
  if (total != 0) problem("balances sum to " + std::to_string(total) + " cents, not 0");
  return std::move(report_);
}

}  // namespace essor::core
