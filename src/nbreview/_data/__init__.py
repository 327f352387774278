"""The data layer: records, their keys, fields, chat checks and queues; no widget code."""
