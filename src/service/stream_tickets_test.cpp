#include "service/stream_tickets.hpp"

#include <gtest/gtest.h>

namespace swabline::service {
namespace {

TEST(StreamTickets, RedeemsATicketOnceForItsActor) {
  StreamTickets tickets;
  Actor actor;
  actor.username = "alice";
  actor.scope_place_id = 3;
  auto issued = tickets.Issue(actor, 1000);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->ticket.rfind("swt_", 0), 0u);
  EXPECT_EQ(issued->expires_at, 1000 + StreamTickets::kLifetime);
  auto first = tickets.Redeem(issued->ticket, 2000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->username, "alice");
  EXPECT_EQ(first->scope_place_id, 3);
  EXPECT_FALSE(tickets.Redeem(issued->ticket, 2000));
}

TEST(StreamTickets, RefusesAnExpiredOrUnknownTicket) {
  StreamTickets tickets;
  auto issued = tickets.Issue(Actor{}, 0);
  ASSERT_TRUE(issued);
  EXPECT_FALSE(tickets.Redeem(issued->ticket, StreamTickets::kLifetime));
  EXPECT_FALSE(tickets.Redeem("swt_nothing", 0));
  EXPECT_FALSE(tickets.Redeem("", 0));
}

}  // namespace
}  // namespace swabline::service
