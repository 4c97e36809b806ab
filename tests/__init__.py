"""IMI tests."""
