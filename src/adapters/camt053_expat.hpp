// CAMT.053 bank statements read with Expat (a streaming parser): no DTD,
// no entity, no external resource is ever accepted.
#pragma once

#include <memory>

#include "app/statement_port.hpp"

namespace essor::adapters {

std::unique_ptr<app::StatementReader> make_camt053_reader();

}  // namespace essor::adapters
