"""Format readers: bytes in, pages of text out. They know formats, not Vietnamese."""
