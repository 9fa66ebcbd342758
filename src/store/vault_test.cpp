#include "store/vault.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

std::array<unsigned char, Vault::kKeyBytes> KeyOf(unsigned char fill) {
  std::array<unsigned char, Vault::kKeyBytes> key{};
  key.fill(fill);
  return key;
}

const Vault& TestVault() {
  static const Vault vault = Vault::FromKey(KeyOf(0x42));
  return vault;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777u;
}

TEST(Vault, OpensWhatItSealed) {
  const Vault& vault = TestVault();
  for (const std::string& text :
       {std::string("110105199003071239"), std::string(), std::string("bytes\0inside", 12)}) {
    const std::string sealed = vault.Seal(text);
    EXPECT_EQ(vault.Open(sealed), text);
  }
}

TEST(Vault, SealsTheSameTextDifferentlyEachTime) {
  const Vault& vault = TestVault();
  EXPECT_NE(vault.Seal("110105199003071239"), vault.Seal("110105199003071239"));
}

TEST(Vault, KeepsTheNumberOutOfTheSealedBox) {
  const std::string sealed = TestVault().Seal("110105199003071239");
  EXPECT_EQ(sealed.find("110105199003071239"), std::string::npos);
  EXPECT_EQ(sealed.find("1239"), std::string::npos);
}

TEST(Vault, RefusesATamperedBox) {
  const Vault& vault = TestVault();
  const std::string sealed = vault.Seal("110105199003071239");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(vault.Open(tampered), std::nullopt) << "byte " << i << " flipped";
  }
  EXPECT_EQ(vault.Open(sealed.substr(0, sealed.size() - 1)), std::nullopt);
  EXPECT_EQ(vault.Open(sealed + "x"), std::nullopt);
  EXPECT_EQ(vault.Open(""), std::nullopt);
  EXPECT_EQ(vault.Open("short"), std::nullopt);
}

TEST(Vault, RefusesABoxSealedUnderAnotherKey) {
  const Vault other = Vault::FromKey(KeyOf(0x43));
  EXPECT_EQ(TestVault().Open(other.Seal("110105199003071239")), std::nullopt);
}

TEST(Vault, DigestIsStableUnderOneKey) {
  const Vault same_key = Vault::FromKey(KeyOf(0x42));
  const std::string digest = TestVault().Digest("resident_id:110105199003071239");
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(TestVault().Digest("resident_id:110105199003071239"), digest);
  EXPECT_EQ(same_key.Digest("resident_id:110105199003071239"), digest);
  EXPECT_NE(TestVault().Digest("resident_id:110105199003071247"), digest);
}

TEST(Vault, DigestDependsOnTheKey) {
  const Vault other = Vault::FromKey(KeyOf(0x43));
  EXPECT_NE(other.Digest("resident_id:110105199003071239"),
            TestVault().Digest("resident_id:110105199003071239"));
}

TEST(Vault, DerivesDifferentKeysForDifferentPurposes) {
  EXPECT_EQ(TestVault().DeriveKey("personal-code"), TestVault().DeriveKey("personal-code"));
  EXPECT_NE(TestVault().DeriveKey("personal-code"), TestVault().DeriveKey("other"));
  EXPECT_NE(TestVault().DeriveKey("personal-code"),
            Vault::FromKey(KeyOf(0x43)).DeriveKey("personal-code"));
}

TEST(Vault, LoadOrCreateCreatesAKeyFileOnlyItsOwnerMayRead) {
  test::TempDir dir;
  const std::string path = dir.File("vault.key");
  Vault::LoadOrCreate(path);

  EXPECT_EQ(ModeOf(path), 0600u);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.size(), Vault::kKeyBytes);
}

TEST(Vault, LoadOrCreateReloadsTheSameKey) {
  test::TempDir dir;
  const std::string path = dir.File("vault.key");
  const Vault first = Vault::LoadOrCreate(path);
  const Vault second = Vault::LoadOrCreate(path);

  EXPECT_EQ(second.Open(first.Seal("110105199003071239")), "110105199003071239");
  EXPECT_EQ(second.Digest("x"), first.Digest("x"));
}

TEST(Vault, LoadOrCreateMakesADifferentKeyForEachNewFile) {
  test::TempDir dir;
  const Vault a = Vault::LoadOrCreate(dir.File("a.key"));
  const Vault b = Vault::LoadOrCreate(dir.File("b.key"));
  EXPECT_NE(a.Digest("x"), b.Digest("x"));
}

TEST(Vault, LoadOrCreateRejectsAMalformedKeyFile) {
  test::TempDir dir;
  for (const std::string& bytes : {std::string(), std::string(31, 'k'), std::string(33, 'k')}) {
    const std::string path = dir.File("bad.key");
    WriteFile(path, bytes);
    EXPECT_THROW(Vault::LoadOrCreate(path), std::runtime_error) << bytes.size() << " bytes";
  }
}

TEST(Vault, LoadOrCreateTightensALooseKeyFileMode) {
  test::TempDir dir;
  const std::string path = dir.File("vault.key");
  WriteFile(path, std::string(Vault::kKeyBytes, 'k'));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);

  Vault::LoadOrCreate(path);
  EXPECT_EQ(ModeOf(path), 0600u);
}

/// A key file in a temporary folder and a vault following it, as a server holds one.
struct RotatingKeyFile {
  test::TempDir dir;
  std::string path = dir.File("swabline.db.key");
  Vault vault = Vault::LoadOrCreate(path);

  std::uint32_t Rotate(KeyKind kind) {
    KeyRing ring = ReadKeyFile(path);
    const std::uint32_t kid = AddKey(ring, kind, 1'800'000'000);
    WriteKeyFile(path, ring);
    return kid;
  }
  void Retire(KeyKind kind, std::uint32_t kid) {
    KeyRing ring = ReadKeyFile(path);
    RemoveKey(ring, kind, kid);
    WriteKeyFile(path, ring);
  }
};

/// A box as versions before key ids sealed it: nonce || secretbox under the master's subkey.
std::string LegacySeal(const std::array<unsigned char, Vault::kKeyBytes>& master,
                       std::string_view text) {
  std::array<unsigned char, 32> key{};
  constexpr std::string_view kPurpose = "swabline.seal.v1";
  crypto_generichash(key.data(), key.size(),
                     reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size(),
                     master.data(), master.size());
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + text.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(), p,
                        key.data());
  return out;
}

TEST(Vault, NamesTheKeyABoxWasSealedUnder) {
  const std::string sealed = TestVault().Seal("110105199003071239");
  ASSERT_GE(sealed.size(), 6u);
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), 0xA7);
  EXPECT_EQ(sealed[1], 'K');
  EXPECT_EQ(sealed.substr(2, 4), std::string(4, '\0'));
  EXPECT_EQ(TestVault().OpenWithKid(sealed)->kid, 0u);
}

TEST(Vault, OpensABoxSealedBeforeKeyIdsExistedAsKeyZero) {
  for (int i = 0; i < 300; ++i) {  // some legacy nonces begin like a header; they still open
    const auto opened = TestVault().OpenWithKid(LegacySeal(KeyOf(0x42), "110105199003071239"));
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->kid, 0u);
    EXPECT_EQ(opened->plaintext, "110105199003071239");
  }
}

TEST(Vault, DataSealedUnderTheOldKeyIsReadableAfterRotation) {
  RotatingKeyFile keys;
  const std::string before = keys.vault.Seal("110105199003071239");
  const std::string digest = keys.vault.Digest("resident_id:110105199003071239");
  EXPECT_EQ(keys.Rotate(KeyKind::kIdNumber), 1u);
  ASSERT_TRUE(keys.vault.Reload());

  const std::string after = keys.vault.Seal("110105199003071247");
  EXPECT_EQ(keys.vault.OpenWithKid(after)->kid, 1u);
  EXPECT_EQ(keys.vault.OpenWithKid(before)->kid, 0u);
  EXPECT_EQ(keys.vault.Open(before), "110105199003071239");
  // The look-up digest does not rotate: ID numbers are found as before.
  EXPECT_EQ(keys.vault.Digest("resident_id:110105199003071239"), digest);
}

TEST(Vault, TakesUpARotatedKeyAtOnceWhenAskedAsOnSighup) {
  RotatingKeyFile keys;
  keys.Rotate(KeyKind::kIdNumber);
  Vault::RequestReload();  // what serve's SIGHUP handler does
  EXPECT_EQ(keys.vault.NewestKid(KeyKind::kIdNumber), 1u);
}

TEST(Vault, TakesUpARotatedKeyWithinASecondUnasked) {
  RotatingKeyFile keys;
  keys.Rotate(KeyKind::kPersonalCode);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(keys.vault.NewestKid(KeyKind::kPersonalCode), 1u);
}

TEST(Vault, ABoxNamingAKeyItLacksMakesItReadTheKeyFileAgain) {
  RotatingKeyFile keys;
  keys.Rotate(KeyKind::kIdNumber);
  const Vault other_server = Vault::LoadOrCreate(keys.path);  // started after the rotation
  const std::string sealed = other_server.Seal("110105199003071239");
  EXPECT_EQ(keys.vault.Open(sealed), "110105199003071239");
  EXPECT_EQ(keys.vault.NewestKid(KeyKind::kIdNumber), 1u);
}

TEST(Vault, ARetiredKeyNoLongerOpensWhatItSealed) {
  RotatingKeyFile keys;
  const std::string old_box = keys.vault.Seal("110105199003071239");
  keys.Rotate(KeyKind::kIdNumber);
  keys.Retire(KeyKind::kIdNumber, 0);
  ASSERT_TRUE(keys.vault.Reload());
  EXPECT_EQ(keys.vault.Open(old_box), std::nullopt);
  EXPECT_EQ(keys.vault.Open(keys.vault.Seal("x")), "x");
}

TEST(Vault, KeepsItsKeysWhenTheKeyFileTurnsUnreadable) {
  RotatingKeyFile keys;
  const std::string sealed = keys.vault.Seal("110105199003071239");
  WriteFile(keys.path, "swabline-keys 1\ngarbage\n");
  EXPECT_FALSE(keys.vault.Reload());
  EXPECT_EQ(keys.vault.Open(sealed), "110105199003071239");
}

TEST(ToHex, WritesLowerCaseHexOfEachByte) {
  EXPECT_EQ(ToHex(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
  EXPECT_EQ(ToHex(""), "");
}

}  // namespace
}  // namespace swabline::store
