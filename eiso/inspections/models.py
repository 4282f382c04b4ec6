"""Inspections by the supervising authority."""
