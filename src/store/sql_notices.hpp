// app::NoticesWrites over the transaction's session (statements kept
// prepared). Internal to store/: SqlTx hands it out as its notices().
#pragma once

#include "app/notices_port.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlNotices final : public app::NoticesWrites {
 public:
  SqlNotices(soci::session& sql, Backend backend, bool writable)
      : sql_(sql), backend_(backend), writable_(writable) {}
  std::vector<app::BackerProgress> backer_progress(std::int64_t limit) override;
  bool advance_backers(const app::BackerProgress& from) override;

 private:
  soci::session& sql_;
  Backend backend_;
  bool writable_;
};

}  // namespace essor::store
