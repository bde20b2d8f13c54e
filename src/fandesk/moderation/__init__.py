"""Moderation: hide/unhide, public reminder, private message, block, each against a guideline."""
