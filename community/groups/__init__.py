"""Communities: groups of colleagues that keep a conversation going (docs/communities.md)."""
