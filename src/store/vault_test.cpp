#include "store/vault.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <fstream>
#include <stdexcept>
#include <string>

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

TEST(ToHex, WritesLowerCaseHexOfEachByte) {
  EXPECT_EQ(ToHex(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
  EXPECT_EQ(ToHex(""), "");
}

}  // namespace
}  // namespace swabline::store
