"""Storage: the database object, models, migrations, audit chain, backups, start-up checks, serial
numbers, the data folder and its files."""
