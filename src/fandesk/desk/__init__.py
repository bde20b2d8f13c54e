"""The team's working view of the inbox: the queue with its filters, an item's thread and the
follower card beside it (tags and notes the team keeps), and who is on an item right now."""
