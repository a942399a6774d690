"""Pure pricing rules (no ORM): price resolution, promotions, floors, rebate tiers and periods."""
