"""Who may do what at the review desk: users, passwords, tokens, log-in throttling, role checks.

Other modules import the FastAPI dependencies from `service.auth.dependencies`:
`current_user`, `require_role(...)`, `public_endpoint` and the `Principal` they return.
"""
