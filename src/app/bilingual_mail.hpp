// Mails to people whose language Essor does not know (an address without
// an account, or an account before it has chosen one): the French text,
// then the English one, both from the catalogs (the Wording port).
#pragma once

#include <map>
#include <string>

#include "app/ports.hpp"

namespace essor::app {

struct MailText {
  std::string subject;
  std::string body;
};

inline MailText bilingual_mail(const Wording& wording, const std::string& subject_key,
                               const std::string& body_key,
                               const std::map<std::string, std::string>& fr_params,
                               const std::map<std::string, std::string>& en_params) {
  return {"[Essor] " + wording.say("fr", subject_key, fr_params) + " / " +
              wording.say("en", subject_key, en_params),
          wording.say("fr", body_key, fr_params) + "\n\n-- \n" +
              wording.say("en", body_key, en_params) + "\n"};
}

}  // namespace essor::app
