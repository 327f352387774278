"""The widget layer: the session a browser drives, and the anywidget that shows it."""
