// Mail through an SMTP server with libcurl: smtp://host:port (STARTTLS when
// the server offers it) or smtps://host:port, credentials in the URL
// (smtp://user:password@host:587). Messages are RFC 5322 plain text in
// UTF-8, quoted-printable, with List-Unsubscribe headers (RFC 2369 and the
// one-click POST of RFC 8058).
#pragma once

#include <memory>
#include <string>

#include "app/ports.hpp"

namespace essor::adapters {

std::unique_ptr<app::Mailer> make_smtp_mailer(const std::string& url, const std::string& from);

// The message as sent (headers and body, CRLF line ends); message_id
// without angle brackets. Exposed for tests.
std::string rfc5322_message(const app::MailMessage& message, const std::string& from,
                            const std::string& message_id, std::int64_t now_ms);

}  // namespace essor::adapters
