"""The citizen side: views and forms of the public site (never imported by the back office)."""
