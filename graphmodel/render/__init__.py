"""Rows to text for people and files: ``tables`` (table, json, csv, markdown)
and ``cards`` (prose answers), fitted to the terminal and safe for any text.
"""
