"""Transactional e-mail: templates, the outbox queued with each change, and the background sender."""
