"""IMI: an Internal Market Information system."""
