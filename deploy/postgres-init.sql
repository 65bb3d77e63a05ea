-- Runs once when the compose PostgreSQL volume is created: Prefect's own database next to the app database.
CREATE DATABASE prefect OWNER imh;
