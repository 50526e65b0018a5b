"""Accounts: registration, sign-in, passwords and API tokens."""
