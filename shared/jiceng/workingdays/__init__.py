"""The copy of the working-day calendar's notices (放假通知, 调休) that member-lifecycle records:
contract, projection, queries. Every 公示 counted in working days reads it."""
