"""The domain's own types, shared by every layer and depending on none of them."""
