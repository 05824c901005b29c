"""The action plan the report demands: its rows and cover (``build``), progress
against it (``progress``), its workbook (``workbook``) and other formats
(``formats``), and reading a filled-in workbook back (``importer``).
"""
