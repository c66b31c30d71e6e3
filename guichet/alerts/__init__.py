"""Alerts to staff: new requests (at once or in a daily digest) and implicit decisions coming within 7 days."""
