// A Store that counts its write transactions, so that what was read before
// a write can be known to be stale (the web layer's page cache). Each
// process counts its own writes only: another instance's are not seen.
#pragma once

#include <atomic>
#include <cstdint>

#include "app/ports.hpp"

namespace essor::app {

class GenerationStore final : public Store {
 public:
  explicit GenerationStore(Store& inner) : inner_(inner) {}

  void read(const std::function<void(ReadTx&)>& fn) override { inner_.read(fn); }
  void read_statement(const std::function<void(ReadTx&)>& fn) override {
    inner_.read_statement(fn);
  }
  std::unique_ptr<ReadScope> share_reads() override { return inner_.share_reads(); }
  bool seals_ledger_later() const override { return inner_.seals_ledger_later(); }
  bool suits_io_threads() const override { return inner_.suits_io_threads(); }
  bool queues_writes() const override { return inner_.queues_writes(); }

  // Counted whatever its outcome, and after it: a read that began before
  // the count moved may have seen the write or not.
  void write(const std::function<bool(Tx&)>& fn) override {
    counted([&] { inner_.write(fn); });
  }
  void write_alone(const std::function<bool(Tx&)>& fn) override {
    counted([&] { inner_.write_alone(fn); });
  }

  // Counted once done, before then runs (whoever then answers may read at
  // once what was written).
  void write_then(std::function<bool(Tx&)> fn,
                  std::function<void(std::exception_ptr)> then) override {
    inner_.write_then(std::move(fn), counted_then(std::move(then)));
  }
  void write_then_for(std::string_view owner, std::string_view session, std::function<bool(Tx&)> fn,
                      std::function<void(std::exception_ptr)> then) override {
    inner_.write_then_for(owner, session, std::move(fn), counted_then(std::move(then)));
  }

  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  std::function<void(std::exception_ptr)> counted_then(
      std::function<void(std::exception_ptr)> then) {
    return [this, then = std::move(then)](std::exception_ptr failure) {
      generation_.fetch_add(1, std::memory_order_acq_rel);
      then(failure);
    };
  }
  template <class F>
  void counted(F&& write) {
    struct CountWhenDone {
      std::atomic<std::uint64_t>& count;
      ~CountWhenDone() { count.fetch_add(1, std::memory_order_acq_rel); }
    } later{generation_};
    write();
  }

  Store& inner_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace essor::app
