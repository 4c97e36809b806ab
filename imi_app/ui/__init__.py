"""What every screen shares: the signed-in base state, layout, forms, tables, pager."""
