"""The request screens: task list, overview, request form, request page."""
