"""Common questions per account and month, for the FAQ: what fans ask most, in their own words."""
