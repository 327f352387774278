"""Team work beyond one annotator: adjudication."""
