"""`nbreview serve` and who is answering on a served page (Voilà, marimo)."""
