#include "store/key_ring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "store/vault.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

KeyBytes Filled(unsigned char fill) {
  KeyBytes key{};
  key.fill(fill);
  return key;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(KeyRing, ReadsALegacyThirtyTwoByteFileAsKeyZeroOfEachKind) {
  const KeyRing ring = ParseKeyFile(std::string(32, 'k'));
  EXPECT_EQ(ring.digest, Filled('k'));
  ASSERT_EQ(ring.id_keys.size(), 1u);
  ASSERT_EQ(ring.code_keys.size(), 1u);
  EXPECT_EQ(ring.Newest(KeyKind::kIdNumber).kid, 0u);
  EXPECT_EQ(ring.Newest(KeyKind::kPersonalCode).key, Filled('k'));
}

TEST(KeyRing, FormatsAndParsesTheSameRing) {
  KeyRing ring = KeyRing::FromMaster(Filled(1));
  AddKey(ring, KeyKind::kIdNumber, 1'800'000'000);
  AddKey(ring, KeyKind::kPersonalCode, 1'800'000'100);
  AddKey(ring, KeyKind::kPersonalCode, 1'800'000'200);
  const KeyRing back = ParseKeyFile(FormatKeyFile(ring));
  EXPECT_EQ(back.digest, ring.digest);
  ASSERT_EQ(back.id_keys.size(), 2u);
  ASSERT_EQ(back.code_keys.size(), 3u);
  EXPECT_EQ(back.code_keys[2].kid, 2u);
  EXPECT_EQ(back.code_keys[2].key, ring.code_keys[2].key);
  EXPECT_EQ(back.SupersededAt(KeyKind::kPersonalCode, 0), 1'800'000'100);
  EXPECT_EQ(back.SupersededAt(KeyKind::kPersonalCode, 1), 1'800'000'200);
  EXPECT_EQ(back.SupersededAt(KeyKind::kPersonalCode, 2), std::nullopt);
}

TEST(KeyRing, RefusesMalformedFilesWithoutQuotingKeyMaterial) {
  const std::string good = FormatKeyFile(KeyRing::FromMaster(Filled(0xab)));
  for (const std::string& bad :
       {std::string(), std::string("swabline-keys 1\n"), std::string("hello\n") + good,
        good + "id 0 " + std::string(64, 'a') + " 0\n",  // kids must ascend
        good + "id 7 " + std::string(63, 'a') + " 0\n", good + "seal 1 x 0\n"}) {
    try {
      ParseKeyFile(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).find("abababab"), std::string::npos) << e.what();
    }
  }
}

TEST(KeyRing, NeverRetiresTheNewestKeyNorAnUnknownOne) {
  KeyRing ring = KeyRing::FromMaster(Filled(1));
  EXPECT_THROW(RemoveKey(ring, KeyKind::kIdNumber, 0), std::runtime_error);
  AddKey(ring, KeyKind::kIdNumber, 1);
  EXPECT_THROW(RemoveKey(ring, KeyKind::kIdNumber, 1), std::runtime_error);
  EXPECT_THROW(RemoveKey(ring, KeyKind::kIdNumber, 9), std::runtime_error);
  RemoveKey(ring, KeyKind::kIdNumber, 0);
  EXPECT_EQ(ring.id_keys.size(), 1u);
  EXPECT_EQ(AddKey(ring, KeyKind::kIdNumber, 2), 2u);  // kids are never reused
}

TEST(KeyRing, WritesTheFileWholeWithModeSixHundred) {
  test::TempDir dir;
  const std::string path = dir.File("k.key");
  KeyRing ring = KeyRing::FromMaster(Filled(3));
  AddKey(ring, KeyKind::kIdNumber, 5);
  WriteKeyFile(path, ring);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777u, 0600u);
  EXPECT_EQ(ReadAll(path), FormatKeyFile(ring));
  EXPECT_EQ(ReadKeyFile(path).id_keys.size(), 2u);
  EXPECT_FALSE(std::ifstream(path + ".new").good());
}

}  // namespace
}  // namespace swabline::store
