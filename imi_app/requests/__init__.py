"""Information requests: lifecycle, task list, overview, files, notifications."""
