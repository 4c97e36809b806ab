"""The audit trail, visible: the audit log entries an administrator may read, filtered, paged and exported."""
