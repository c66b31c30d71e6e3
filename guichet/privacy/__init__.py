"""Data-protection duties: retention enforced by the worker, erasure, the register of processing activities."""
