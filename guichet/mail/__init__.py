"""Email: the outbox, written in the same transaction as what it is about, sent with retries."""
