"""Authorities: directory, coordination, coordinator settings, links, invitations."""
