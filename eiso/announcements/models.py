"""Conformity announcements."""
