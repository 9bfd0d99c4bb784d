"""Page routers of the desk, one module per area (log-in, queue, ads, leads, dashboard)."""
