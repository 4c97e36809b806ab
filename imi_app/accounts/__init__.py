"""Accounts: signing in, sessions, users of an authority, the own profile."""
