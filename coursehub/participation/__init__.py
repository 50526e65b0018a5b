"""Participation credit: per-assignment rules, overrides, gradebook and exports."""
