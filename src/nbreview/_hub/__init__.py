"""Publishing: the Hub folder's layout, its dataset card, and reopening a published review."""
