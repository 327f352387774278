"""Exports: typed columns, several annotators (all, consensus), agreement and TRL datasets."""
