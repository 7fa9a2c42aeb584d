"""Code shared by the shop's services."""
