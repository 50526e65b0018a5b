"""Accounts: registration, sign-in, passwords and API tokens."""

from coursehub.accounts.views import bp

__all__ = ["bp"]
