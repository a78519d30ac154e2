#include "adapters/smtp_mailer.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <stdexcept>

#include "core/image.hpp"

namespace essor::adapters {
namespace {

std::string no_breaks(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// RFC 2047 encoded words (B encoding), split so that each stays within 75
// characters and never cuts a UTF-8 sequence.
std::string encoded_words(const std::string& text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii && text.size() < 900) return no_breaks(text);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + core::base64_encode(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF ends.
std::string quoted_printable(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out, line;
  auto flush_soft = [&] {
    out += line + "=\r\n";
    line.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r') continue;
    if (c == '\n') {
      // Trailing white space would be lost in transit: encode it.
      if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        const char last = line.back();
        line.pop_back();
        if (line.size() + 3 > 76) flush_soft();
        line += std::string("=") + hex[last >> 4] + hex[last & 15];
      }
      out += line + "\r\n";
      line.clear();
      continue;
    }
    std::string piece;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      piece = static_cast<char>(c);
    } else {
      piece = std::string("=") + hex[c >> 4] + hex[c & 15];
    }
    if (line.size() + piece.size() > 75) flush_soft();
    line += piece;
  }
  if (!line.empty()) out += line + "\r\n";
  return out;
}

std::string rfc5322_date(std::int64_t now_ms) {
  const std::time_t seconds = now_ms / 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->data->size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

class SmtpMailer final : public app::Mailer {
 public:
  SmtpMailer(std::string url, std::string from) : url_(std::move(url)), from_(std::move(from)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void send(const app::MailMessage& message) override {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::random_device random;
    const std::string id = std::to_string(now) + "." + std::to_string(random()) + "@essor";
    const std::string payload = rfc5322_message(message, from_, id, now);
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    curl_slist* recipients =
        curl_slist_append(nullptr, ("<" + no_breaks(message.to) + ">").c_str());
    Upload upload{&payload};
    const std::string from = "<" + from_ + ">";
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK)
      throw std::runtime_error(std::string("SMTP: ") + curl_easy_strerror(code));
  }

 private:
  std::string url_;
  std::string from_;
};

}  // namespace

std::string rfc5322_message(const app::MailMessage& message, const std::string& from,
                            const std::string& message_id, std::int64_t now_ms) {
  std::string out;
  out += "Date: " + rfc5322_date(now_ms) + "\r\n";
  out += "From: Essor <" + no_breaks(from) + ">\r\n";
  out += "To: <" + no_breaks(message.to) + ">\r\n";
  out += "Subject: " + encoded_words(message.subject) + "\r\n";
  out += "Message-ID: <" + no_breaks(message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  if (!message.unsubscribe_url.empty()) {
    out += "List-Unsubscribe: <" + no_breaks(message.unsubscribe_url) + ">\r\n";
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  out += "\r\n";
  out += quoted_printable(message.text);
  return out;
}

std::unique_ptr<app::Mailer> make_smtp_mailer(const std::string& url, const std::string& from) {
  return std::make_unique<SmtpMailer>(url, from);
}

}  // namespace essor::adapters
