"""Data only: the versioned ISO 9001 clause libraries (*.yaml), read by eiso.audits.clause_library.

This file makes the folder a package so that setuptools ships the YAML with the wheel ("*.yaml" in
[tool.setuptools.package-data])."""
