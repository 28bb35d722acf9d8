"""The services engine: one lifecycle carries every application from draft to decision."""
