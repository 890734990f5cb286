"""Tables in files: reading uploads (reading.py), checking them into rows for an import
(imports.py) and writing exports (writing.py)."""
