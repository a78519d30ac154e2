// app::SignatureCrypto with OpenSSL's libcrypto: RSA-2048 keys in PEM,
// RSASSA-PKCS1-v1_5 over SHA-256 (the fediverse's rsa-sha256), SHA-256
// digests in base64. Safe from many threads.
#pragma once

#include "app/federation_port.hpp"

namespace essor::adapters {

class OpensslSignatures final : public app::SignatureCrypto {
 public:
  KeyPair generate_rsa() const override;
  std::string sign(const std::string& private_pem, const std::string& data) const override;
  bool verify(const std::string& public_pem, const std::string& data,
              const std::string& signature_base64) const override;
  std::string sha256_base64(const std::string& data) const override;
};

}  // namespace essor::adapters
