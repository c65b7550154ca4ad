"""Database migration for pettracker-ml: creates the breed statistics table if it does not exist yet.

Run it once per deployment, before the new code serves traffic: `python -m app.migrate`.
"""
import os
import sqlite3

DATABASE_PATH = os.environ.get("DATABASE_PATH", "/var/app/data/pettracker-ml.db")


def migrate() -> None:
    os.makedirs(os.path.dirname(DATABASE_PATH), exist_ok=True)
    with sqlite3.connect(DATABASE_PATH) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS breed_stats ("
            " breed TEXT PRIMARY KEY,"
            " identified INTEGER NOT NULL DEFAULT 0)"
        )
    print("breed_stats table is ready")


if __name__ == "__main__":
    migrate()
