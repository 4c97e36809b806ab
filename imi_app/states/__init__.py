"""Thin Reflex states: each handler checks the user again and calls a service."""
