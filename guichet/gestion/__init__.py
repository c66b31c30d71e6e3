"""The back office (/gestion): where agents, supervisors, administrators and the DPO work.

Citizen views never import this package; both use the domain packages.
"""
