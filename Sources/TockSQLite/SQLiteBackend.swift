// SQLiteBackend lands here.
