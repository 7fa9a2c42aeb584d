DATABASE_PATH = "bookshelf.sqlite3"
SMTP_HOST = "localhost"
