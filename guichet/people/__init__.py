"""A person's file: the requests, messages and difficulty reports of one person, found by email.

A person is an email address the town has seen: the address a request's receipt went to (the only
address we know reaches the person) or the contact address of a difficulty report. `Person` gives
that address a stable number, used in back-office URLs and in audit entries instead of the address
itself. Agents can correct a wrong match by hand (`PersonLink`).
"""
