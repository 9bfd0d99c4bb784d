"""The store: SQLAlchemy tables, engine set-up, Alembic migrations and small repositories."""
