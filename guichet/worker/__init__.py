"""The worker: the timed jobs (emails with retries, drafts purge, audit sealing, legal dates…).

`flask worker run` runs next to the web servers (`make run` starts it). Several workers may run at
once, on several servers: each job run is claimed by one atomic update, so nothing is done twice.
"""
