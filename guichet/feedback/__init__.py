"""What people tell us: difficulty reports, "Cette page vous a-t-elle été utile ?" votes, step funnel."""
