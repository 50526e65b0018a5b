"""The audit log: who changed grades, roles and content, when, from what to what."""
