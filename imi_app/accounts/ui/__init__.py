"""The accounts screens: login, set-up, profile, user administration."""
