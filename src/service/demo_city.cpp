#include "service/demo_city.hpp"

#include <array>
#include <cstdio>
#include <random>
#include <string_view>
#include <unordered_set>

#include "core/id_number.hpp"

namespace swabline::service {
namespace {

constexpr std::string_view kDistrict = "朝阳区";
constexpr std::array<std::string_view, 4> kStreets = {"和平街街道", "小关街道", "安贞街道",
                                                      "望京街道"};
constexpr std::array<std::string_view, 12> kCommunities = {
    "小黄庄社区", "和平里社区",   "樱花园社区", "小关东里社区", "惠新苑社区", "安苑北里社区",
    "安华里社区", "外馆斜街社区", "裕民路社区", "望京西园社区", "花家地社区", "南湖东园社区"};
constexpr std::array<std::string_view, 40> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡"};
constexpr std::array<std::string_view, 48> kGiven = {
    "伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强",   "磊",   "军",   "洋",   "勇",   "艳",
    "杰",   "娟",   "涛",   "明",   "超",   "秀英", "霞",   "平",   "刚",   "桂英", "建华", "文",
    "华",   "红",   "玉兰", "国强", "志强", "欣怡", "子轩", "浩然", "梓涵", "宇航", "雨萱", "思远",
    "佳怡", "晨阳", "海燕", "淑珍", "德明", "春梅", "建国", "秀兰", "文博", "一诺", "嘉怡", "俊杰"};
// 110105 is 朝阳区 itself; neighbouring districts of birth make the numbers varied.
constexpr std::array<std::string_view, 6> kBirthRegions = {"110105", "110108", "110101",
                                                           "130102", "370202", "510104"};

}  // namespace

std::string FirstCommunityPath() {
  return std::string(kDistrict) + "/" + std::string(kStreets[0]) + "/" +
         std::string(kCommunities[0]);
}

std::string DemoCityCsv(const CityShape& shape, std::uint64_t seed, core::CivilDate today) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  std::unordered_set<std::string> used;
  std::string out = "id_number,name,phone,district,street,community,building,unit,room,tags\n";
  char buf[64];
  int community_index = 0;
  for (int s = 0; s < shape.streets; ++s) {
    const std::string street(kStreets[static_cast<std::size_t>(s) % kStreets.size()]);
    for (int c = 0; c < shape.communities_per_street; ++c, ++community_index) {
      std::string community(
          kCommunities[static_cast<std::size_t>(community_index) % kCommunities.size()]);
      if (community_index >= static_cast<int>(kCommunities.size()))
        community += std::to_string(community_index / kCommunities.size() + 1);
      for (int b = 1; b <= shape.buildings_per_community; ++b) {
        for (int u = 1; u <= shape.units_per_building; ++u) {
          for (int f = 1; f <= shape.floors; ++f) {
            for (int r = 1; r <= shape.rooms_per_floor; ++r) {
              const int people = std::poisson_distribution<int>(shape.people_per_room)(rng);
              for (int p = 0; p < people; ++p) {
                const int age = static_cast<int>(pick(92));
                const int year = today.year - age - 1;
                const int month = 1 + static_cast<int>(pick(12));
                const int day = 1 + static_cast<int>(pick(
                                        static_cast<std::size_t>(core::DaysInMonth(year, month))));
                std::string id;
                do {
                  std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d",
                                std::string(kBirthRegions[pick(kBirthRegions.size())]).c_str(),
                                year, month, day, static_cast<int>(pick(1000)));
                  id = buf;
                  id.push_back(core::IdNumberCheckCharacter(id));
                } while (!used.insert(id).second);
                std::string name(kSurnames[pick(kSurnames.size())]);
                name += kGiven[pick(kGiven.size())];
                std::string tags;
                if (age >= 65) {
                  tags = "elderly";
                  if (chance(0.06)) tags += ";bedridden";
                } else if (age < 6) {
                  tags = "child";
                } else if (age < 18) {
                  tags = "child;student";
                } else if (age < 23 && chance(0.6)) {
                  tags = "student";
                } else if (age < 60 && chance(0.7)) {
                  tags = "worker";
                }
                std::string phone;
                if (age >= 12) {
                  std::snprintf(buf, sizeof buf, "1%d%09llu", 3 + static_cast<int>(pick(7)),
                                static_cast<unsigned long long>(rng() % 1'000'000'000ULL));
                  phone = buf;
                }
                std::snprintf(buf, sizeof buf, "%d号楼,%d单元,%d%02d", b, u, f, r);
                for (std::string_view cell :
                     {std::string_view(id), std::string_view(name), std::string_view(phone),
                      kDistrict, std::string_view(street), std::string_view(community)}) {
                  out.append(cell).push_back(',');
                }
                out.append(buf).append(",").append(tags).push_back('\n');
              }
            }
          }
        }
      }
    }
  }
  return out;
}

}  // namespace swabline::service
