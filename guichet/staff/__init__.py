"""Staff accounts of the back office: identities, roles per service, sign-in (local or OpenID Connect),
second factor, sessions. Used by the back-office views and by operators' commands."""
