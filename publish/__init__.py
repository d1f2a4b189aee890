"""MkDocs glue and release tooling: the only code that knows about MkDocs."""
