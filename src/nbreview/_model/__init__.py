"""The model in the loop (API.md 12): suggestions from any callable, model-ordered queues,
similar records. Slow work here runs in background threads, never on a key press."""
