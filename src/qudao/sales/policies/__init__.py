"""Pure decision rules of the order center (no database): tested on their own."""
