"""Periodic reports to the supervising authority."""
