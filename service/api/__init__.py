"""The FastAPI application: thin routes over the service layer."""
