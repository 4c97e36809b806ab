"""The authority screens: directory, coordination, settings, links."""
