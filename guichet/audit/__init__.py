"""The audit trail: who saw and changed what, append-only, each entry chained to the previous one."""
